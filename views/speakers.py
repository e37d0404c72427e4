"""Speakers & claims: who says the most, about which countries, and every claim to read or export."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import charts, explore

TABLE_KEY = "speakers.claims_table"
PAGE_KEY = "speakers.page"

st.title("Speakers & claims")
common.stop_if_empty()

filters = common.current_filters()
totals, speakers, matrix, first, tone = common.speakers(filters)
if not totals["claims"]:
    if not totals["articles"]:
        common.no_match_notice()
    else:
        st.info("No claims in these articles yet: the quote extractor found none.")
    st.stop()

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
        if totals["speakers"] > len(speakers):
            st.caption(
                f"The {len(speakers):,} speakers with the most claims, of"
                f" {totals['speakers']:,}: narrow the filters to see others."
            )
with right:
    st.subheader("Speakers × countries")
    if matrix.empty:
        st.caption("No attributed claim mentions a country.")
    else:
        st.plotly_chart(charts.heatmap(matrix), key="speakers.heatmap", config=common.PLOTLY_CONFIG)

st.subheader("Tone: speakers × countries")
if tone.empty:
    st.caption("No attributed claim has a tone toward a country it names.")
else:
    st.plotly_chart(charts.tone_heatmap(tone), key="speakers.tone", config=common.PLOTLY_CONFIG)
    st.caption(
        "Each cell: the mean tone of the speaker's claims toward the country, from -1"
        " (negative, red) to +1 (positive, blue), judged by a model: a lead to read, not a verdict."
    )

st.subheader("Claims")
look_for = st.text_input(
    "Search these claims",
    key="speakers.search",
    placeholder="a word in the claim, speaker, role or article",
)
page = common.paged_claims(PAGE_KEY, filters, look_for=look_for, first=first)
table = page.rows
st.caption(f"{page.total:,} claims · select a row to open its article in the reader")
event = st.dataframe(
    table,
    key=TABLE_KEY,
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=["speaker", "role", "claim", "kind", "countries", "tone", "article", "date"],
    column_config={"claim": st.column_config.TextColumn(width="large")},
)
common.page_picker(PAGE_KEY, page)
rows = event.selection.rows if event else []
if rows:
    st.switch_page(common.READER_PAGE, query_params={"article": table.at[rows[0], "article_id"]})

csv_column, excel_column, _ = st.columns([1, 1, 4])
csv_column.download_button(
    "Download CSV",
    data=lambda: explore.to_csv_bytes(common.all_claims(filters, look_for=look_for)),
    file_name="claimscope-claims.csv",
    mime="text/csv",
    on_click="ignore",
    key="speakers.csv",
    icon=":material/download:",
)
excel_column.download_button(
    "Download Excel",
    data=lambda: explore.to_excel_bytes(common.all_claims(filters, look_for=look_for)),
    file_name="claimscope-claims.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    key="speakers.excel",
    icon=":material/download:",
)
