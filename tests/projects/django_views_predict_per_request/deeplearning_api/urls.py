from django.urls import path

from . import views
from .views import *

urlpatterns = [
    path("api/predict", predict),
    path("api/report", views.report),
    path("api/classify", views.ClassifyView.as_view()),
]
