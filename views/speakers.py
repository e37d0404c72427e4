"""Speakers & claims: who says the most, about which countries, and every claim to read or export."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import charts, explore

TABLE_KEY = "speakers.claims_table"

st.title("Speakers & claims")
data = common.stored_frames_or_stop()

filters = common.current_filters()
view = explore.apply_filters(data, filters)
if view.claims.empty:
    if view.articles.empty:
        common.no_match_notice()
    else:
        st.info("No claims in these articles yet: the quote extractor found none.")
    st.stop()

names = explore.country_names(data)
speakers = explore.speaker_counts(view.claims)

left, right = st.columns(2)
with left:
    st.subheader("Top speakers")
    if speakers.empty:
        st.caption("No claim has a resolved speaker.")
    else:
        st.plotly_chart(
            charts.speakers_bar(speakers), key="speakers.top", config=common.PLOTLY_CONFIG
        )
        st.dataframe(speakers, hide_index=True, width="stretch", height=240)
with right:
    st.subheader("Speakers × countries")
    matrix = explore.speaker_country_matrix(view.claims, names=names)
    if matrix.empty:
        st.caption("No attributed claim mentions a country.")
    else:
        st.plotly_chart(charts.heatmap(matrix), key="speakers.heatmap", config=common.PLOTLY_CONFIG)

st.subheader("Claims")
table = explore.claims_table(view.claims, names=names)
look_for = st.text_input(
    "Search these claims",
    key="speakers.search",
    placeholder="a word in the claim, speaker, role or article",
)
if look_for.strip():
    needle = look_for.strip()
    hit = table[["claim", "speaker", "role", "article"]].apply(
        lambda column: column.fillna("").str.contains(needle, case=False, regex=False)
    )
    table = table[hit.any(axis=1)].reset_index(drop=True)

st.caption(f"{len(table):,} claims · select a row to open its article in the reader")
event = st.dataframe(
    table,
    key=TABLE_KEY,
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=["speaker", "role", "claim", "kind", "countries", "article", "date"],
    column_config={"claim": st.column_config.TextColumn(width="large")},
)
rows = event.selection.rows if event else []
if rows:
    st.switch_page(common.READER_PAGE, query_params={"article": table.at[rows[0], "article_id"]})

csv_column, excel_column, _ = st.columns([1, 1, 4])
csv_column.download_button(
    "Download CSV",
    data=lambda: explore.to_csv_bytes(table),
    file_name="claimscope-claims.csv",
    mime="text/csv",
    on_click="ignore",
    key="speakers.csv",
    icon=":material/download:",
)
excel_column.download_button(
    "Download Excel",
    data=lambda: explore.to_excel_bytes(table),
    file_name="claimscope-claims.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    key="speakers.excel",
    icon=":material/download:",
)
