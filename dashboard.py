"""Claimscope's dashboard: who claims what about which country.

Run it with ``claimscope serve`` (or ``streamlit run dashboard.py``). This file
only declares the pages, opens the store and draws the global filters that
every page shares; each page lives in ``views/``.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder
beside the entry file as a legacy multipage app and runs the first request
(and every AppTest run) through its v1 shim, listing every module there as a
page and dropping the sidebar filters.
"""

from __future__ import annotations

import duckdb
import streamlit as st
from views import common

from claimscope.settings import shown_location
from claimscope.store import StoreBusy

st.set_page_config(page_title="Claimscope", page_icon=":material/travel_explore:", layout="wide")

navigation = st.navigation(
    [
        st.Page(common.UPLOAD_PAGE, title="Upload", icon=":material/upload_file:"),
        st.Page(common.OVERVIEW_PAGE, title="Overview", icon=":material/public:", default=True),
        st.Page(common.COUNTRIES_PAGE, title="Countries", icon=":material/flag:"),
        st.Page(
            common.SPEAKERS_PAGE, title="Speakers & claims", icon=":material/record_voice_over:"
        ),
        st.Page(common.POINTS_PAGE, title="Talking points", icon=":material/forum:"),
        st.Page(common.READER_PAGE, title="Article reader", icon=":material/article:"),
    ]
)

try:
    common.settings()
except ValueError as error:  # a CLAIMSCOPE_* variable that is not a number
    st.error(f"Claimscope's settings are wrong: {error}")
    st.stop()
try:
    stored = common.mirror().count()
except (duckdb.Error, OSError, StoreBusy) as error:
    # Ingests and other dashboards share the store (each waits its turn); this
    # is a store held for minutes by another program, or an unwritable path:
    # say which store and why, never a traceback.
    st.error(f"Cannot open the store at {shown_location(common.store_location())}: {error}")
    st.stop()

st.sidebar.caption(f"Store: `{common.get_store().display}` · {common.number(stored)} articles")
common.sidebar_filters()
navigation.run()
