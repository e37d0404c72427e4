"""Talking points: the same claim in other words, by several speakers and outlets."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import points

POINTS_KEY = "points.table"
CLAIMS_KEY = "points.claims"
POINT_PARAM = "point"

st.title("Talking points")
common.stop_if_empty()

filters = common.current_filters()
totals, table = common.talking_points(filters)
if not totals["articles"]:
    common.no_match_notice()
    st.stop()
if table.empty:
    if not common.mirror().count("points"):
        st.info(
            "No claim is grouped yet: this store was written before talking points."
            " The next ingest or upload groups every stored claim."
        )
    else:
        st.info(
            "No talking point yet: no claim in these articles repeats another one in other words."
        )
    st.stop()

st.caption(
    f"Claims that say the same thing, grouped across articles (embeddings: {points.MODEL};"
    f" similarity {points.THRESHOLD:g} or more to the group; never a claim that contradicts"
    " it, by a negation or opposite words, nor one about other countries). The largest"
    " first, within the filters:"
    f" {len(table):,} talking points of two claims or more. Select one to see who said it"
    " where."
)
event = st.dataframe(
    table,
    key=POINTS_KEY,
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=[
        "claim",
        "claims",
        "speakers",
        "outlets",
        "first",
        "latest",
        "speaker_names",
        "outlet_names",
    ],
    column_config={
        "claim": st.column_config.TextColumn("talking point", width="large"),
        "speaker_names": st.column_config.TextColumn("who said it"),
        "outlet_names": st.column_config.TextColumn("where"),
    },
)
# The chosen point lives in the URL (?point=...), so a talking point can be linked to.
rows = event.selection.rows if event else []
if rows:
    st.query_params[POINT_PARAM] = table.at[rows[0], "point_id"]
asked = st.query_params.get(POINT_PARAM)
found = table.index[table["point_id"] == asked]
chosen = table.iloc[found[0] if len(found) else 0]
if asked and not len(found):
    st.caption("The linked talking point is not among these; the largest is shown.")

st.subheader("Who said it, and where")
st.caption(
    f"{chosen['claims']:,} claims by {chosen['speakers']:,} speakers in {chosen['outlets']:,}"
    f" outlets, {chosen['first'] or 'undated'} to {chosen['latest'] or 'undated'}"
    + ("" if len(found) else " · the largest talking point: select another above")
    + " · select a claim to open its article in the reader"
)
claims = common.point_claims(filters, chosen["point_id"])
picked = st.dataframe(
    claims,
    key=f"{CLAIMS_KEY}.{chosen['point_id']}",
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=["speaker", "claim", "outlet", "date", "article", "role", "similarity"],
    column_config={"claim": st.column_config.TextColumn(width="large")},
)
opened = picked.selection.rows if picked else []
if opened:
    st.switch_page(common.READER_PAGE, query_params={"article": claims.at[opened[0], "article_id"]})
