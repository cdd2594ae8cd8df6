"""/api/v1/livelihood/projects and milestones: 民生实事 projects. Reading
needs VIEW_CARE; registering, reaching milestones and adding photos
MANAGE_PROJECTS. Reaching a milestone publishes the progress through 晒事."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..models import Milestone, Project
from ..services import projects as services
from . import serializers as s
from .views import ERRORS, TAG, CanView

CanManageProjects = HasCapability.of(Capability.MANAGE_PROJECTS)


@extend_schema(tags=[TAG])
class ProjectViewSet(ScopedViewSet):
    """民生实事项目:预算、资金来源、节点、进度和照片;每完成一个节点自动在晒事中公示进展。"""

    serializer_class = s.LivelihoodProjectSerializer
    permission_classes = [CanView]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    PERMISSIONS = {"create": CanManageProjects, "photos": CanManageProjects}

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.projects_visible_to(user=self.request.user).prefetch_related("milestones", "photos")

    def visible(self, pk: Any) -> Project:
        return selectors.project_get_visible(user=self.request.user, pk=pk)

    def _answer(self, project: Project, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.LivelihoodProjectSerializer(self.get_queryset().get(pk=project.pk)).data, status=code)

    @extend_schema(
        summary="民生实事项目(本人辖区)", responses={200: s.LivelihoodProjectSerializer(many=True), **ERRORS}
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.LivelihoodProjectSerializer(page, many=True).data)

    @extend_schema(summary="项目详情", responses={200: s.LivelihoodProjectSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self.visible(pk))

    @extend_schema(
        summary="登记项目(含节点)",
        request=s.LivelihoodProjectInputSerializer,
        responses={201: s.LivelihoodProjectSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.LivelihoodProjectInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        project = services.project_create(
            actor=request.user,
            data=services.ProjectInput(
                title=data["title"],
                node=node,
                budget=data["budget"],
                funding_source=data["funding_source"],
                description=data.get("description") or "",
                milestones=[services.MilestoneInput(**m) for m in data["milestones"]],
            ),
        )
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(
        summary="上传项目照片",
        request={"multipart/form-data": s.LivelihoodPhotoSerializer},
        responses={201: s.LivelihoodProjectSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def photos(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodPhotoSerializer, request)
        project = self.visible(pk)
        services.project_photo_add(
            actor=request.user, project=project, photo=data["photo"], caption=data.get("caption") or ""
        )
        return self._answer(project, status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class MilestoneViewSet(ScopedViewSet):
    """项目节点:按顺序完成,完成时进度更新并自动公示。"""

    serializer_class = s.LivelihoodMilestoneSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"reach": CanManageProjects}

    def visible(self, pk: Any) -> Milestone:
        return selectors.milestone_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="节点详情", responses={200: s.LivelihoodMilestoneSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodMilestoneSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="完成节点(前面的节点须已完成;进展自动在晒事中公示)",
        request=s.LivelihoodReachSerializer,
        responses={200: s.LivelihoodMilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reach(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodReachSerializer, request)
        milestone = services.milestone_reach(
            actor=request.user, milestone=self.visible(pk), note=data.get("note") or ""
        )
        return Response(s.LivelihoodMilestoneSerializer(milestone).data)
