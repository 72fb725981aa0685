"""Members vote for roadmap items and follow their updates."""

from __future__ import annotations

from api.base import MemberView, json_response
from api.errors import NotFoundError
from plugins.roadmap import services as roadmap
from plugins.roadmap.models import RoadmapItem, RoadmapSubscription, RoadmapVote


class RoadmapActionView(MemberView):
    """``PUT`` votes for (or follows) a roadmap item, ``DELETE`` takes it back; one vote per member."""

    follow = False

    def rate_limit_scope(self):
        return "vote" if self.request.method == "PUT" and not self.follow else None

    def item(self, document_id) -> RoadmapItem:
        item = RoadmapItem.objects.filter(**self.ref(document_id), live=True).first()
        if item is None:
            raise NotFoundError()
        return item

    def state(self, item: RoadmapItem) -> dict:
        return {
            "roadmap": item.document_id,
            "votes": RoadmapVote.objects.filter(item=item).count(),
            "voted": RoadmapVote.objects.filter(item=item, profile=self.profile).exists(),
            "following": RoadmapSubscription.objects.filter(item=item, profile=self.profile).exists(),
        }

    def put(self, request, document_id):
        item = self.item(document_id)
        (roadmap.follow if self.follow else roadmap.vote)(self.profile, item)
        return json_response({"data": self.state(item), "meta": {}})

    def delete(self, request, document_id):
        item = self.item(document_id)
        (roadmap.unfollow if self.follow else roadmap.unvote)(self.profile, item)
        return json_response({"data": self.state(item), "meta": {}})

    def get(self, request, document_id):
        return json_response({"data": self.state(self.item(document_id)), "meta": {}}, request=request)


class RoadmapFollowView(RoadmapActionView):
    follow = True
