from django.urls import path

from api.views import CollectionView, DocumentView

urlpatterns = [
    path("<str:plural>", CollectionView.as_view(), name="collection"),
    path("<str:plural>/<str:document_id>", DocumentView.as_view(), name="document"),
]
