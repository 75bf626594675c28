"""Apache Spark for nearshore's large jobs (the optional `spark` extra: pip install 'nearshore[spark]').

    session.py       `spark_session`: a session from settings (`spark_master`, default local[2]), clear errors
    datasets.py      exported datasets read on Spark, checked against the manifest; tables as temporary views
    partitions.py    a dataset built one partition per key, here or one Spark task per key (the tariff panel
                     at every effective date uses it: nearshore/tariffs/panel_dates.py)
    gravity.py       the gravity panel preparation (one SQL text, run on DuckDB or Spark)

Nothing here imports pyspark at import time; each function that needs it imports it when called.
"""

from __future__ import annotations
