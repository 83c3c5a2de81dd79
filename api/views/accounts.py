"""A subject's network accounts: list, add (the handle checked live, as on the page), pause, resume,
delete, and a manual account's counts."""

from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from api import lookups
from api.serializers import (
    AccountCreateSerializer,
    AccountSerializer,
    CountsResultSerializer,
    CountsSerializer,
)
from influence import collection
from influence.collection.tasks import queue_collection
from influence.connectors import ConnectorError, NeedsKey, NotFound, TemporaryError
from influence.core.choices import Network
from influence.core.models import Account


def _checked(workspace_id: int, data: dict) -> collection.CheckedHandle:
    """The handle as the network knows it, with its current numbers, checked live like the page's form;
    a 400 saying why not otherwise."""
    try:
        return collection.check_handle(
            workspace_id, data["network"], data["handle"], data["instance_url"],
            save_unchecked=data["save_unchecked"],
        )
    except ValueError as exc:
        raise ValidationError({"handle": [str(exc)]}) from None
    except collection.CannotCheckNow as exc:
        raise ValidationError({"network": [
            f"Couldn't check it now: {exc} Nothing was added; send save_unchecked to add it unchecked."
        ]}) from None
    except NotFound as exc:
        raise ValidationError({"handle": [f"{exc} Check the spelling."]}) from None
    except NeedsKey as exc:
        raise ValidationError(
            {"handle": [f"{exc} A workspace owner enters the key in the workspace's API credentials."]}
        ) from None
    except TemporaryError as exc:
        # The network did not answer: the client may try again; nothing was added.
        raise ValidationError({"network": [f"{exc} Nothing was added; try again in a moment."]}) from None
    except ConnectorError as exc:
        raise ValidationError({"network": [f"{exc} Nothing was added."]}) from None


class AccountList(ListModelMixin, GenericAPIView):
    """(ListModelMixin marks the GET as a paged list for the schema.)"""

    serializer_class = AccountSerializer

    @extend_schema(summary="A subject's network accounts")
    def get(self, request, pk: int):
        subject = lookups.subject(request, pk)
        page = self.paginate_queryset(subject.accounts.order_by("network", "handle", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add an account; its handle is checked live on the network first",
        request=AccountCreateSerializer,
        responses={201: AccountSerializer},
    )
    def post(self, request, pk: int):
        subject = lookups.subject(request, pk, write=True)
        body = AccountCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        network = data["network"]
        if network == Network.MANUAL:
            try:
                handle, instance_url = collection.canonical_handle(network, data["handle"])
            except ValueError as exc:
                raise ValidationError({"handle": [str(exc)]}) from None
            metrics, not_checked = None, ""
        else:
            checked = _checked(subject.workspace_id, data)
            handle, instance_url, metrics = checked.handle, checked.instance_url, checked.metrics
            not_checked = checked.not_checked
        try:
            with transaction.atomic():
                account = collection.add_account(
                    subject, network, handle, instance_url, data["label"], metrics, not_checked=not_checked
                )
        except IntegrityError:
            raise ValidationError({"handle": [f"{subject.name} already has this account."]}) from None
        if network != Network.MANUAL and (not_checked or collection.needs_first_collection(account)):
            queue_collection(account.pk)
        account.refresh_from_db()
        return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)


class AccountDetail(GenericAPIView):
    serializer_class = AccountSerializer

    @extend_schema(summary="One account")
    def get(self, request, pk: int):
        return Response(self.get_serializer(lookups.account(request, pk)).data)

    @extend_schema(summary="Delete an account and its numbers; the score is recomputed", responses={204: None})
    def delete(self, request, pk: int):
        collection.delete_account(lookups.account(request, pk, write=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountPause(GenericAPIView):
    serializer_class = AccountSerializer

    @extend_schema(summary="Pause an account: it is not collected until resumed", request=None)
    def post(self, request, pk: int):
        account = lookups.account(request, pk, write=True)
        collection.pause(account)
        return Response(self.get_serializer(Account.objects.get(pk=account.pk)).data)


class AccountResume(GenericAPIView):
    serializer_class = AccountSerializer

    @extend_schema(summary="Resume a paused account (flagged again if it was failing)", request=None)
    def post(self, request, pk: int):
        account = lookups.account(request, pk, write=True)
        collection.resume(account)
        return Response(self.get_serializer(Account.objects.get(pk=account.pk)).data)


class AccountCounts(GenericAPIView):
    serializer_class = CountsSerializer

    @extend_schema(
        summary="A manual account's counts for one day (a second post for that day replaces them)",
        request=CountsSerializer,
        responses={200: CountsResultSerializer},
    )
    def post(self, request, pk: int):
        account = lookups.account(request, pk, write=True)
        if account.network != Network.MANUAL:
            raise ValidationError({"network": ["Only manual accounts take their counts by hand."]})
        body = CountsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        day = body.validated_data["day"]
        try:
            written = collection.enter_counts(account, day, body.validated_data["counts"])
        except ValueError as exc:
            raise ValidationError({"counts": [str(exc)]}) from None
        return Response({"day": day, "written": written})
