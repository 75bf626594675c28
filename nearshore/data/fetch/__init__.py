"""Official data straight from the source APIs: U.S. Census International Trade and UN Comtrade.

Each client turns a validated query into `trade_flows` loads, one load per period, so a run can be resumed;
`http` holds the shared retrying GET, `runs` the period bookkeeping both use.
"""

from __future__ import annotations

from nearshore.data.fetch.census import CensusQuery
from nearshore.data.fetch.census import fetch as fetch_census
from nearshore.data.fetch.comtrade import ComtradeQuery
from nearshore.data.fetch.comtrade import fetch as fetch_comtrade
from nearshore.data.fetch.http import Http, make_client, redact
from nearshore.data.fetch.runs import FetchReport, PeriodResult

__all__ = [
    "CensusQuery",
    "ComtradeQuery",
    "FetchReport",
    "Http",
    "PeriodResult",
    "fetch_census",
    "fetch_comtrade",
    "make_client",
    "redact",
]
