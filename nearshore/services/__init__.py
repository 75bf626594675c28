"""The service layer: one function per use case, shared by the command line and the HTTP API.

    from nearshore.services import DutyRequest, open_context, tariffs

    request = DutyRequest(hts="8708.99.81", origin="MX", value=10000, date="2025-06-01")
    with open_context(tariffs.duty.access(request)) as ctx:
        result = tariffs.duty(ctx, request)
    result.rows, result.notes, result.payload["total"]      # envelope(result) is the JSON document

Every service takes a typed request (frozen dataclass, fields annotated with their help and spellings, checked
when made) and a Context (settings, the opened store, where progress goes), and returns one Result (title,
columns with units, rows at full precision, notes, provenance, messages, the typed payload). `REGISTRY` holds
every service by its command path ('tariff.duty'), with the store access it needs and whether it writes.
Modules: data, scale (exported datasets, the tariff panels and the gravity panel on DuckDB or Spark), stats,
tariffs, policy (schedule and policy file), origin, brief, scenarios (gravity), scenario_changes (the PE
tariff model, a rule change over a BOM portfolio), newsletter and archive (over nearshore.delivery), llm (the
local model server), keys (API keys) and serve (the HTTP API); envelope (the JSON document).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from nearshore._lazy import exports as _exports

# imported with the package: `envelope` is also the name of its module, which would shadow a lazy name
from nearshore.services.envelope import envelope, error_body

if TYPE_CHECKING:
    from nearshore.services import (
        archive,
        brief,
        data,
        keys,
        llm,
        newsletter,
        origin,
        policy,
        scale,
        scenario_changes,
        scenarios,
        series,
        serve,
        stats,
        tariffs,
    )
    from nearshore.services.archive import ArchiveBuildRequest, ArchiveCheckRequest
    from nearshore.services.base import REGISTRY, Column, Context, Result, Service, Step, StoreAccess, open_context
    from nearshore.services.brief import BriefCheckRequest, BriefRequest
    from nearshore.services.data import (
        CensusFetchRequest,
        ComtradeFetchRequest,
        InfoRequest,
        LoadRequest,
        LoadsRequest,
        SeedRequest,
        SnapshotRequest,
    )
    from nearshore.services.fields import FieldSpec, Param, Request, specs
    from nearshore.services.keys import KeyCreateRequest, KeyListRequest, KeyRevokeRequest
    from nearshore.services.llm import ServeLocalRequest
    from nearshore.services.newsletter import (
        BouncesRequest,
        ConfirmRequest,
        EraseRequest,
        ErrataRequest,
        ExportRequest,
        ImportRequest,
        IssueRequest,
        IssuesRequest,
        RemoveRequest,
        RunRequest,
        SendRequest,
        SubscribeRequest,
        SubscriberRequest,
        SubscribersRequest,
        UnsubscribeRequest,
    )
    from nearshore.services.origin import (
        CertifyRequest,
        OriginBatchRequest,
        OriginCheckRequest,
        RuleRequest,
        RulesRequest,
        WhatIfRequest,
    )
    from nearshore.services.policy import PolicyBuildRequest, PolicyCoverageRequest, PolicyRequest, ScheduleRequest
    from nearshore.services.scale import DatasetExportRequest, GravityPrepareRequest, TariffPanelsRequest
    from nearshore.services.scenario_changes import ScenarioRulesRequest, ScenarioTariffRequest
    from nearshore.services.scenarios import GravityCounterfactualRequest, GravityEstimateRequest
    from nearshore.services.series import SeriesRequest
    from nearshore.services.serve import ServeRequest
    from nearshore.services.stats import (
        BalanceRequest,
        ConcentrationRequest,
        DutyRateRequest,
        EventRequest,
        EventsRequest,
        GrowthRequest,
        PathRequest,
        SectorsRequest,
        ShareRequest,
        TopRequest,
        UnclaimedRequest,
        UtilisationRequest,
    )
    from nearshore.services.tariffs import CompareRequest, DutyBatchRequest, DutyRequest, EffectiveRequest, PanelRequest

# every service module: REGISTRY is complete once they are all imported
_SERVICE_MODULES = (
    "archive",
    "brief",
    "data",
    "keys",
    "llm",
    "newsletter",
    "origin",
    "policy",
    "scale",
    "scenario_changes",
    "scenarios",
    "series",
    "serve",
    "stats",
    "tariffs",
)

# public name -> the module that defines it, imported on first use: a command imports only its own services
_ON_FIRST_USE = {
    "KeyCreateRequest": "nearshore.services.keys",
    "KeyListRequest": "nearshore.services.keys",
    "KeyRevokeRequest": "nearshore.services.keys",
    "DatasetExportRequest": "nearshore.services.scale",
    "GravityPrepareRequest": "nearshore.services.scale",
    "TariffPanelsRequest": "nearshore.services.scale",
    "ServeRequest": "nearshore.services.serve",
    "ArchiveBuildRequest": "nearshore.services.archive",
    "ArchiveCheckRequest": "nearshore.services.archive",
    "BalanceRequest": "nearshore.services.stats",
    "BouncesRequest": "nearshore.services.newsletter",
    "BriefCheckRequest": "nearshore.services.brief",
    "BriefRequest": "nearshore.services.brief",
    "CensusFetchRequest": "nearshore.services.data",
    "CertifyRequest": "nearshore.services.origin",
    "Column": "nearshore.services.base",
    "CompareRequest": "nearshore.services.tariffs",
    "ComtradeFetchRequest": "nearshore.services.data",
    "ConcentrationRequest": "nearshore.services.stats",
    "ConfirmRequest": "nearshore.services.newsletter",
    "Context": "nearshore.services.base",
    "DutyBatchRequest": "nearshore.services.tariffs",
    "DutyRateRequest": "nearshore.services.stats",
    "DutyRequest": "nearshore.services.tariffs",
    "EffectiveRequest": "nearshore.services.tariffs",
    "EraseRequest": "nearshore.services.newsletter",
    "ErrataRequest": "nearshore.services.newsletter",
    "EventRequest": "nearshore.services.stats",
    "EventsRequest": "nearshore.services.stats",
    "ExportRequest": "nearshore.services.newsletter",
    "FieldSpec": "nearshore.services.fields",
    "GravityCounterfactualRequest": "nearshore.services.scenarios",
    "GravityEstimateRequest": "nearshore.services.scenarios",
    "GrowthRequest": "nearshore.services.stats",
    "ImportRequest": "nearshore.services.newsletter",
    "InfoRequest": "nearshore.services.data",
    "IssueRequest": "nearshore.services.newsletter",
    "IssuesRequest": "nearshore.services.newsletter",
    "LoadRequest": "nearshore.services.data",
    "LoadsRequest": "nearshore.services.data",
    "OriginBatchRequest": "nearshore.services.origin",
    "OriginCheckRequest": "nearshore.services.origin",
    "PanelRequest": "nearshore.services.tariffs",
    "Param": "nearshore.services.fields",
    "PathRequest": "nearshore.services.stats",
    "PolicyBuildRequest": "nearshore.services.policy",
    "PolicyCoverageRequest": "nearshore.services.policy",
    "PolicyRequest": "nearshore.services.policy",
    "RemoveRequest": "nearshore.services.newsletter",
    "Request": "nearshore.services.fields",
    "Result": "nearshore.services.base",
    "RuleRequest": "nearshore.services.origin",
    "RulesRequest": "nearshore.services.origin",
    "RunRequest": "nearshore.services.newsletter",
    "ScenarioRulesRequest": "nearshore.services.scenario_changes",
    "ScenarioTariffRequest": "nearshore.services.scenario_changes",
    "ScheduleRequest": "nearshore.services.policy",
    "SectorsRequest": "nearshore.services.stats",
    "SeedRequest": "nearshore.services.data",
    "SendRequest": "nearshore.services.newsletter",
    "SeriesRequest": "nearshore.services.series",
    "ServeLocalRequest": "nearshore.services.llm",
    "Service": "nearshore.services.base",
    "ShareRequest": "nearshore.services.stats",
    "SnapshotRequest": "nearshore.services.data",
    "Step": "nearshore.services.base",
    "StoreAccess": "nearshore.services.base",
    "SubscribeRequest": "nearshore.services.newsletter",
    "SubscriberRequest": "nearshore.services.newsletter",
    "SubscribersRequest": "nearshore.services.newsletter",
    "TopRequest": "nearshore.services.stats",
    "UnclaimedRequest": "nearshore.services.stats",
    "UnsubscribeRequest": "nearshore.services.newsletter",
    "UtilisationRequest": "nearshore.services.stats",
    "WhatIfRequest": "nearshore.services.origin",
    "open_context": "nearshore.services.base",
    "specs": "nearshore.services.fields",
}


_lookup, __dir__ = _exports(__name__, {**_ON_FIRST_USE, "REGISTRY": "nearshore.services.base"})


def __getattr__(name: str) -> Any:
    if name == "REGISTRY":  # complete once every service module has registered its services
        for module in _SERVICE_MODULES:
            importlib.import_module(f"nearshore.services.{module}")
    if name in _SERVICE_MODULES:
        return importlib.import_module(f"nearshore.services.{name}")
    return _lookup(name)


__all__ = [
    "REGISTRY",
    "ArchiveBuildRequest",
    "ArchiveCheckRequest",
    "BalanceRequest",
    "BouncesRequest",
    "BriefCheckRequest",
    "BriefRequest",
    "CensusFetchRequest",
    "CertifyRequest",
    "Column",
    "CompareRequest",
    "ComtradeFetchRequest",
    "ConcentrationRequest",
    "ConfirmRequest",
    "Context",
    "DatasetExportRequest",
    "DutyBatchRequest",
    "DutyRateRequest",
    "DutyRequest",
    "EffectiveRequest",
    "EraseRequest",
    "ErrataRequest",
    "EventRequest",
    "EventsRequest",
    "ExportRequest",
    "FieldSpec",
    "GravityCounterfactualRequest",
    "GravityEstimateRequest",
    "GravityPrepareRequest",
    "GrowthRequest",
    "ImportRequest",
    "InfoRequest",
    "IssueRequest",
    "IssuesRequest",
    "KeyCreateRequest",
    "KeyListRequest",
    "KeyRevokeRequest",
    "LoadRequest",
    "LoadsRequest",
    "OriginBatchRequest",
    "OriginCheckRequest",
    "PanelRequest",
    "Param",
    "PathRequest",
    "PolicyBuildRequest",
    "PolicyCoverageRequest",
    "PolicyRequest",
    "RemoveRequest",
    "Request",
    "Result",
    "RuleRequest",
    "RulesRequest",
    "RunRequest",
    "ScenarioRulesRequest",
    "ScenarioTariffRequest",
    "ScheduleRequest",
    "SectorsRequest",
    "SeedRequest",
    "SendRequest",
    "SeriesRequest",
    "ServeLocalRequest",
    "ServeRequest",
    "Service",
    "ShareRequest",
    "SnapshotRequest",
    "Step",
    "StoreAccess",
    "SubscribeRequest",
    "SubscriberRequest",
    "SubscribersRequest",
    "TariffPanelsRequest",
    "TopRequest",
    "UnclaimedRequest",
    "UnsubscribeRequest",
    "UtilisationRequest",
    "WhatIfRequest",
    "archive",
    "brief",
    "data",
    "envelope",
    "error_body",
    "keys",
    "llm",
    "newsletter",
    "open_context",
    "origin",
    "policy",
    "scale",
    "scenario_changes",
    "scenarios",
    "series",
    "serve",
    "specs",
    "stats",
    "tariffs",
]
