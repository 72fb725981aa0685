// Conformance: the official @strapi/client (and qs-built URLs, as Strapi's docs show) against a
// live server with demo data. Started by tests/conformance/test_strapi_client.py, which passes:
// CMS_URL, CMS_TOKEN (full access), CMS_READ_TOKEN (read-only), CMS_EDITOR / CMS_PASSWORD.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import qs from 'qs';
import { strapi, HTTPBadRequestError, HTTPForbiddenError, HTTPNotFoundError } from '@strapi/client';

const baseURL = `${process.env.CMS_URL}/api`;
const admin = strapi({ baseURL, auth: process.env.CMS_TOKEN });
const reader = strapi({ baseURL, auth: process.env.CMS_READ_TOKEN });
const anonymous = strapi({ baseURL });
const v4 = strapi({ baseURL, headers: { 'Strapi-Response-Format': 'v4' } });

async function raw(query, path = 'profiles') {
  const response = await fetch(`${baseURL}/${path}?${qs.stringify(query, { encodeValuesOnly: true })}`);
  return { status: response.status, body: await response.json() };
}

test('find returns the v5 envelope with page pagination', async () => {
  const result = await anonymous.collection('profiles').find({ pagination: { page: 2, pageSize: 10 }, sort: 'id' });
  assert.equal(result.data.length, 10);
  assert.deepEqual(Object.keys(result.meta.pagination).sort(), ['page', 'pageCount', 'pageSize', 'total']);
  assert.equal(result.meta.pagination.page, 2);
  assert.ok(result.data[0].documentId.length === 24);
  assert.ok(result.data[0].id < result.data[9].id);
});

test('start / limit pagination', async () => {
  const result = await anonymous.collection('profiles').find({ pagination: { start: 5, limit: 3 }, sort: 'id:asc' });
  const all = await anonymous.collection('profiles').find({ pagination: { start: 0, limit: 8 }, sort: 'id:asc' });
  assert.deepEqual(result.data.map((p) => p.id), all.data.slice(5, 8).map((p) => p.id));
  assert.deepEqual(Object.keys(result.meta.pagination).sort(), ['limit', 'start', 'total']);
});

test('findOne, fields and sort', async () => {
  const page = await anonymous.collection('teams').find({ sort: ['name:desc'], fields: ['name', 'slug'] });
  const names = page.data.map((t) => t.name);
  assert.deepEqual(names, [...names].sort().reverse());
  assert.deepEqual(Object.keys(page.data[0]).sort(), ['documentId', 'id', 'name', 'slug']);
  const one = await anonymous.collection('teams').findOne(page.data[0].documentId);
  assert.equal(one.data.slug, page.data[0].slug);
});


test('every filter operator', async () => {
  const { data: people } = await anonymous.collection('profiles').find({
    filters: { startDate: { $notNull: true } }, pagination: { pageSize: 100 }, sort: 'id',
  });
  const ada = people[0];
  const cases = [
    [{ firstName: { $eq: ada.firstName } }, (p) => p.firstName === ada.firstName],
    [{ firstName: { $eqi: ada.firstName.toUpperCase() } }, (p) => p.firstName.toUpperCase() === ada.firstName.toUpperCase()],
    [{ firstName: { $ne: ada.firstName } }, (p) => p.firstName !== ada.firstName],
    [{ firstName: { $nei: ada.firstName.toLowerCase() } }, (p) => p.firstName.toLowerCase() !== ada.firstName.toLowerCase()],
    [{ startDate: { $lt: '2022-01-01' } }, (p) => p.startDate < '2022-01-01'],
    [{ startDate: { $lte: '2022-01-01' } }, (p) => p.startDate <= '2022-01-01'],
    [{ startDate: { $gt: '2022-01-01' } }, (p) => p.startDate > '2022-01-01'],
    [{ startDate: { $gte: '2022-01-01' } }, (p) => p.startDate >= '2022-01-01'],
    [{ id: { $in: [people[0].id, people[1].id] } }, (p) => [people[0].id, people[1].id].includes(p.id)],
    [{ id: { $notIn: [people[0].id] } }, (p) => p.id !== people[0].id],
    [{ lastName: { $contains: ada.lastName.slice(1, 3) } }, (p) => p.lastName.includes(ada.lastName.slice(1, 3))],
    [{ lastName: { $notContains: ada.lastName.slice(1, 3) } }, (p) => !p.lastName.includes(ada.lastName.slice(1, 3))],
    [{ lastName: { $containsi: ada.lastName.slice(1, 3).toUpperCase() } }, (p) => p.lastName.toLowerCase().includes(ada.lastName.slice(1, 3).toLowerCase())],
    [{ lastName: { $notContainsi: ada.lastName.slice(1, 3).toUpperCase() } }, (p) => !p.lastName.toLowerCase().includes(ada.lastName.slice(1, 3).toLowerCase())],
    [{ pronouns: { $null: true } }, () => false],
    [{ startDate: { $notNull: true } }, () => true],
    [{ startDate: { $between: ['2020-01-01', '2022-12-31'] } }, (p) => p.startDate >= '2020-01-01' && p.startDate <= '2022-12-31'],
    [{ lastName: { $startsWith: ada.lastName.slice(0, 2) } }, (p) => p.lastName.startsWith(ada.lastName.slice(0, 2))],
    [{ lastName: { $startsWithi: ada.lastName.slice(0, 2).toLowerCase() } }, (p) => p.lastName.toLowerCase().startsWith(ada.lastName.slice(0, 2).toLowerCase())],
    [{ lastName: { $endsWith: ada.lastName.slice(-2) } }, (p) => p.lastName.endsWith(ada.lastName.slice(-2))],
    [{ lastName: { $endsWithi: ada.lastName.slice(-2).toUpperCase() } }, (p) => p.lastName.toLowerCase().endsWith(ada.lastName.slice(-2).toLowerCase())],
  ];
  for (const [filters, keep] of cases) {
    const combined = { $and: [{ startDate: { $notNull: true } }, filters] };
    const result = await anonymous.collection('profiles').find({ filters: combined, pagination: { pageSize: 100 }, sort: 'id' });
    assert.deepEqual(result.data.map((p) => p.id), people.filter(keep).map((p) => p.id), JSON.stringify(filters));
  }
});

test('$and / $or / $not nested, and filters through relations', async () => {
  const { data: teams } = await anonymous.collection('teams').find({ sort: 'id' });
  const slug = teams[0].slug;
  const inTeam = await anonymous.collection('profiles').find({ filters: { teams: { slug: { $eq: slug } } }, populate: ['teams'] });
  assert.ok(inTeam.data.length > 0);
  assert.ok(inTeam.data.every((p) => p.teams.some((t) => t.slug === slug)));
  const nested = await anonymous.collection('profiles').find({
    filters: { $or: [{ teams: { slug: { $eq: slug } } }, { $not: { startDate: { $notNull: true } } }] },
    pagination: { withCount: true },
  });
  const members = await anonymous.collection('profiles').find({ filters: { startDate: { $null: true } } });
  assert.equal(nested.meta.pagination.total, inTeam.meta.pagination.total + members.meta.pagination.total);
});

test('nested populate with fields, filters and sort, media included', async () => {
  const result = await anonymous.collection('teams').find({
    populate: {
      profiles: { fields: ['firstName', 'startDate'], sort: ['firstName:asc'], filters: { startDate: { $notNull: true } }, populate: { avatar: true } },
      crest: true,
      teamImage: { populate: { image: true } },
    },
    pagination: { pageSize: 1 },
  });
  const team = result.data[0];
  const names = team.profiles.map((p) => p.firstName);
  assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  assert.ok(team.profiles[0].avatar.url);
  assert.ok(team.crest.url && team.crest.mime === 'image/png' && team.crest.width > 0);
  assert.ok(team.teamImage.image.formats.thumbnail.url);
  const star = await anonymous.collection('profiles').find({ populate: '*', filters: { startDate: { $notNull: true } } });
  assert.ok(Array.isArray(star.data[0].teams) && Array.isArray(star.data[0].leadTeams));
});

test('create, update and delete with an API token; drafts only for privileged callers', async () => {
  const achievements = admin.collection('achievements');
  const created = await achievements.create({ title: 'Conformance hero', points: 7 }, { status: 'draft' });
  const documentId = created.data.documentId;
  assert.equal(created.data.publishedAt, null);
  await assert.rejects(anonymous.collection('achievements').findOne(documentId), HTTPNotFoundError);
  await assert.rejects(anonymous.collection('achievements').find({ status: 'draft' }), HTTPForbiddenError);
  const drafts = await achievements.find({ status: 'draft', filters: { documentId: { $eq: documentId } } });
  assert.equal(drafts.data.length, 1);
  const published = await achievements.update(documentId, { points: 8 });
  assert.equal(published.data.points, 8);
  assert.ok(published.data.publishedAt);
  assert.equal((await anonymous.collection('achievements').findOne(documentId)).data.points, 8);
  await achievements.delete(documentId);
  await assert.rejects(achievements.findOne(documentId), HTTPNotFoundError);
});

test('a read-only token cannot write', async () => {
  await assert.rejects(reader.collection('achievements').create({ title: 'No', points: 1 }), HTTPForbiddenError);
});

test('the v4 response shape', async () => {
  const result = await v4.collection('profiles').find({ populate: ['avatar', 'teams'], filters: { startDate: { $notNull: true } }, pagination: { pageSize: 2 } });
  const row = result.data[0];
  // Strapi 5's v4 shape: documentId beside id, in nested relations and media too.
  assert.deepEqual(Object.keys(row).sort(), ['attributes', 'documentId', 'id']);
  assert.ok(Array.isArray(row.attributes.teams.data));
  assert.ok(row.attributes.teams.data.every((t) => t.documentId && !('documentId' in t.attributes)));
  assert.ok('data' in row.attributes.avatar);
  // The integer id names a document in the v4 shape (the documentId in both).
  const byId = await v4.collection('profiles').findOne(String(row.id));
  assert.equal(byId.data.documentId, row.documentId);
  await assert.rejects(anonymous.collection('profiles').findOne(String(row.id)), HTTPNotFoundError);
});

test('media objects: focalPoint, and fields inside a media populate', async () => {
  const { data } = await anonymous.collection('profiles').find({
    filters: { avatar: { id: { $notNull: true } } }, populate: { avatar: true }, pagination: { pageSize: 1 },
  });
  assert.ok('focalPoint' in data[0].avatar);
  const chosen = await anonymous.collection('profiles').find({
    filters: { id: { $eq: data[0].id } }, populate: { avatar: { fields: ['url'] } },
  });
  assert.deepEqual(Object.keys(chosen.data[0].avatar).sort(), ['documentId', 'id', 'url']);
});

test('computed attributes filter and sort: points and reputation', async () => {
  const { data } = await anonymous.collection('profiles').find({
    sort: ['reputation:desc'], fields: ['firstName', 'reputation', 'points'], pagination: { pageSize: 100 },
  });
  const reputations = data.map((p) => p.reputation);
  assert.deepEqual(reputations, [...reputations].sort((a, b) => b - a));
  const floor = reputations[Math.floor(reputations.length / 2)];
  const { data: above } = await anonymous.collection('profiles').find({
    filters: { points: { $gte: floor } }, pagination: { pageSize: 100 },
  });
  assert.equal(above.length, reputations.filter((r) => r >= floor).length);
});

test('pagination edge cases answer as Strapi does', async () => {
  for (const [pagination, expected] of [
    [{ page: 0 }, { page: 1 }],
    [{ page: 1, pageSize: 0 }, { pageSize: 1 }],
    [{ start: -1, limit: 2 }, { start: 0, limit: 2 }],
    [{ limit: -1 }, { start: 0, limit: 100 }],
  ]) {
    const { status, body } = await raw({ pagination });
    assert.equal(status, 200, JSON.stringify(body));
    for (const [key, value] of Object.entries(expected)) assert.equal(body.meta.pagination[key], value);
  }
  const mixed = await raw({ pagination: { page: 1, start: 0 } });
  assert.equal(mixed.status, 400);
  assert.equal(mixed.body.error.name, 'PaginationError');
});

test('errors come in Strapi\'s envelope', async () => {
  for (const [query, message] of [
    [{ filters: { nope: { $eq: 1 } } }, 'Invalid key nope'],
    [{ filters: { firstName: { $like: 'x' } } }, 'Invalid key $like'],
    [{ filters: { startDate: { $lt: 'soon' } } }, 'not a valid date'],
    [{ sort: 'email' }, 'Invalid key email'],
  ]) {
    const { status, body } = await raw(query);
    assert.equal(status, 400);
    assert.equal(body.data, null);
    assert.equal(body.error.name, 'ValidationError');
    assert.ok(body.error.message.includes(message), body.error.message);
  }
  await assert.rejects(anonymous.collection('profiles').find({ filters: { nope: 1 } }), HTTPBadRequestError);
  const invalid = await raw({ filters: { nope: { $eq: 1 } } });
  assert.deepEqual(invalid.body.error.details, { key: 'nope', path: 'filters[nope]', source: 'query', param: 'filters' });
  // Without credentials, a write and /users/me are Strapi's 403 (the Public role may not).
  await assert.rejects(anonymous.collection('achievements').create({ title: 'No', points: 1 }), HTTPForbiddenError);
  await assert.rejects(anonymous.fetch('/users/me'), HTTPForbiddenError);
  const { status, body } = await raw({}, 'profiles/unknown-document');
  assert.equal(status, 404);
  assert.equal(body.error.name, 'NotFoundError');
});

test('users-permissions: sign in and read /users/me', async () => {
  const response = await fetch(`${baseURL}/auth/local`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier: process.env.CMS_EDITOR, password: process.env.CMS_PASSWORD }),
  });
  const { jwt, user } = await response.json();
  assert.equal(user.username, process.env.CMS_EDITOR);
  const me = await strapi({ baseURL, auth: jwt }).fetch('/users/me?populate=role');
  const body = await me.json();
  assert.equal(body.username, process.env.CMS_EDITOR);
  assert.equal(body.documentId.length, 24);
  assert.ok(body.publishedAt && body.role.type);
});

test('files: upload, find, findOne, update, delete', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const [file] = await admin.files.upload(png, { filename: 'dot.png', mimetype: 'image/png', fileInfo: { alternativeText: 'A dot' } });
  assert.equal(file.alternativeText, 'A dot');
  const found = await admin.files.find({ filters: { name: { $eq: file.name } } });
  assert.deepEqual(found.map((f) => f.id), [file.id]);
  assert.equal((await admin.files.findOne(file.id)).url, file.url);
  const updated = await admin.files.update(file.id, { caption: 'Tiny' });
  assert.equal(updated.caption, 'Tiny');
  await admin.files.delete(file.id);
  await assert.rejects(admin.files.findOne(file.id));
});
