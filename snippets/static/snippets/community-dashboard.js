/* The community dashboard's charts, drawn with the vendored Chart.js (snippets/vendor/chart.js) from the
   figures the page carries as JSON (snippets/dashboard.py, community_figures). */
(() => {
  "use strict";

  // The admin loads its scripts (and so this one) at the top of the body, before the panels.
  function drawCommunityDashboard() {
    const script = document.getElementById("community-dashboard-figures");
    if (!script || typeof Chart === "undefined") return;
    const figures = JSON.parse(script.textContent);

    // The admin's own colours (its CSS custom properties), so that the charts follow its theme, dark too.
    const css = getComputedStyle(document.documentElement);
    const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const colours = {
      asked: colour("--w-color-info-100", "#1f7e9a"),
      answered: colour("--w-color-positive-100", "#1b8666"),
      reply: colour("--w-color-secondary", "#007d7e"),
      waiting: colour("--w-color-warning-100", "#faa500"),
      earned: colour("--w-color-positive-100", "#1b8666"),
      gifted: colour("--w-color-info-100", "#1f7e9a"),
      redeemed: colour("--w-color-primary", "#2e1f5e"),
    };
    const body = getComputedStyle(document.body);
    Chart.defaults.color = body.color;
    Chart.defaults.font.family = body.fontFamily;
    Chart.defaults.borderColor = colour("--w-color-border-furniture", "#e0e0e0");
    Chart.defaults.maintainAspectRatio = false;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) Chart.defaults.animation = false;

    // Weeks arrive as the ISO date of their Monday; shown as "3 Mar".
    const weekLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
    const weeks = figures.weeks.map((day) => weekLabel.format(new Date(`${day}T00:00:00Z`)));
    const counts = { beginAtZero: true, ticks: { precision: 0 } };

    const draw = (name, config) => {
      const canvas = document.querySelector(`canvas[data-chart="${name}"]`);
      if (canvas) new Chart(canvas, config);
    };
    // A click on a bar opens the admin list behind it.
    const linked = (urls) => ({
      onClick: (event, elements) => {
        if (elements.length) window.location.assign(urls[elements[0].index]);
      },
      onHover: (event, elements) => {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
    });

    // A bar chart of weekly series: [label, data, colour] each.
    const weeklyBars = (name, series) =>
      draw(name, {
        type: "bar",
        data: {
          labels: weeks,
          datasets: series.map(([label, data, colour]) => ({ label, data, backgroundColor: colour })),
        },
        options: { scales: { y: counts } },
      });

    weeklyBars("questions", [
      ["Asked", figures.questions.asked, colours.asked],
      ["Answered (of those)", figures.questions.answered, colours.answered],
    ]);

    draw("first-reply", {
      type: "line",
      data: {
        labels: weeks,
        datasets: [
          {
            label: "Median hours to a first reply",
            data: figures.questions.medianFirstReplyHours,
            borderColor: colours.reply,
            backgroundColor: colours.reply,
            spanGaps: true,
          },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "hours" } } } },
    });

    const topics = figures.waiting.topics;
    draw("waiting", {
      type: "bar",
      data: {
        labels: topics.map((topic) => topic.label),
        datasets: [{ label: "Waiting for an answer", data: topics.map((t) => t.count), backgroundColor: colours.waiting }],
      },
      options: {
        indexAxis: "y",
        scales: { x: counts },
        plugins: { legend: { display: false } },
        ...linked(topics.map((topic) => topic.url)),
      },
    });

    weeklyBars("points", [
      ["Earned", figures.points.earned, colours.earned],
      ["Gifted", figures.points.gifted, colours.gifted],
      ["Redeemed", figures.points.redeemed, colours.redeemed],
    ]);

    const members = figures.helpful.members;
    draw("helpful", {
      type: "bar",
      data: {
        labels: members.map((member) => member.name),
        datasets: [
          { label: "Solutions", data: members.map((m) => m.solutions), backgroundColor: colours.answered },
          { label: "Marked helpful", data: members.map((m) => m.helpful), backgroundColor: colours.asked },
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { ...counts, stacked: true }, y: { stacked: true } },
        ...linked(members.map((member) => member.url)),
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCommunityDashboard);
  } else {
    drawCommunityDashboard();
  }
})();
