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
from nearshore.services.envelope import envelope, error_body
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
from nearshore.services.tariffs import (
    CompareRequest,
    DutyBatchRequest,
    DutyRequest,
    EffectiveRequest,
    PanelRequest,
)

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
