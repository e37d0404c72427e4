"""Overview: headline counts, where the countries are mentioned, and when."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import charts

BAR_KEY = "overview.country_bar"
MAP_KEY = "overview.world_map"

st.title("Overview")
common.stop_if_empty()

filters = common.current_filters()
totals, counts, over_time = common.overview(filters)
for column, (label, value) in zip(st.columns(4), totals.items(), strict=True):
    column.metric(label.capitalize(), common.number(value))

if not totals["articles"]:
    common.no_match_notice()
    st.stop()

if counts.empty:
    st.info("No country is mentioned in these articles.")
    st.stop()

st.caption(
    "Click a country on the map (or draw a box or lasso around several) or a bar"
    " to filter every page by it."
)
st.plotly_chart(
    charts.world_map(counts),
    key=MAP_KEY,
    on_select=common.country_click_handler(MAP_KEY),
    selection_mode=("points", "box", "lasso"),
    config=common.PLOTLY_CONFIG,
)
left, right = st.columns(2)
with left:
    st.subheader("Most mentioned countries")
    st.plotly_chart(
        charts.country_bar(counts, selected=filters.countries),
        key=BAR_KEY,
        on_select=common.country_click_handler(BAR_KEY),
        selection_mode="points",
        config=common.PLOTLY_CONFIG,
    )
with right:
    st.subheader("Country mentions over time")
    if over_time.empty:
        st.caption("None of these articles has a publication date.")
    else:
        st.plotly_chart(
            charts.timeline(over_time), key="overview.timeline", config=common.PLOTLY_CONFIG
        )
