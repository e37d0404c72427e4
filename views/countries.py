"""Countries: one country at a time — when it is mentioned, with whom, and who speaks about it."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import charts

CO_MENTIONS_KEY = "countries.co_mentions"
PAGE_KEY = "countries.page"

st.title("Countries")
common.stop_if_empty()

# Every global filter applies except the country filter: here the country is
# the one picked below (it defaults to the filtered one).
filters = common.current_filters()
view = filters.with_(countries=())
totals, counts, default, opened = common.countries(view, filters.countries)
if counts.empty or default is None:
    if not totals["articles"]:
        common.no_match_notice()
    else:
        st.info("No country is mentioned in these articles yet.")
    st.stop()

names = common.country_names()
codes = counts["iso3"].tolist()
by_code = counts.set_index("iso3")
iso3 = st.selectbox(
    "Country",
    codes,
    index=codes.index(default),
    format_func=lambda c: f"{names.get(c, c)} ({int(by_code.at[c, 'articles']):,} articles)",
)
country = names.get(iso3, iso3)
over_time, together, speakers, speaking, first = (
    opened if iso3 == default else common.country(view, iso3)
)
about = common.paged_claims(PAGE_KEY, view, iso3=iso3, first=first)

row = by_code.loc[iso3]
for column, (label, value) in zip(
    st.columns(4),
    {
        "Mentions": int(row["mentions"]),
        "Articles": int(row["articles"]),
        "Speakers about it": speaking,
        "Claims about it": about.total,
    }.items(),
    strict=True,
):
    column.metric(label, common.number(value))

left, right = st.columns(2)
with left:
    st.subheader(f"Mentions of {country} over time")
    if over_time.empty:
        st.caption("None of these articles has a publication date.")
    else:
        st.plotly_chart(
            charts.timeline(over_time), key="countries.timeline", config=common.PLOTLY_CONFIG
        )
with right:
    st.subheader(f"Mentioned together with {country}")
    if together.empty:
        st.caption("No other country appears in the same articles.")
    else:
        st.plotly_chart(
            charts.country_bar(together, value="articles", top=15),
            key=CO_MENTIONS_KEY,
            on_select=common.country_click_handler(CO_MENTIONS_KEY),
            selection_mode="points",
            config=common.PLOTLY_CONFIG,
        )
        st.caption("Click a bar to open that country.")

st.subheader(f"Who speaks about {country}")
if speakers.empty:
    st.caption(f"No attributed claim mentions {country} in these articles.")
else:
    st.dataframe(
        speakers,
        hide_index=True,
        width="stretch",
        column_config={
            "claims": st.column_config.NumberColumn(format="localized"),
            "articles": st.column_config.NumberColumn(format="localized"),
        },
    )
if about.total:
    st.subheader(f"Claims about {country}")
    st.dataframe(
        about.rows,
        hide_index=True,
        width="stretch",
        column_order=["speaker", "role", "claim", "kind", "countries", "tone", "article", "date"],
    )
    common.page_picker(PAGE_KEY, about)
