"""Countries: one country at a time — when it is mentioned, with whom, and who speaks about it."""

from __future__ import annotations

import streamlit as st
from views import common

from claimscope import charts, explore

CO_MENTIONS_KEY = "countries.co_mentions"

st.title("Countries")
data = common.stored_frames_or_stop()

# Every global filter applies except the country filter: here the country is
# the one picked below (it defaults to the filtered one).
filters = common.current_filters()
view = explore.apply_filters(data, filters.with_(countries=()))
counts = explore.country_counts(view.mentions)
if counts.empty:
    if view.articles.empty:
        common.no_match_notice()
    else:
        st.info("No country is mentioned in these articles yet.")
    st.stop()

names = explore.country_names(data)
codes = counts["iso3"].tolist()
by_code = counts.set_index("iso3")
default = next((c for c in filters.countries if c in by_code.index), codes[0])
iso3 = st.selectbox(
    "Country",
    codes,
    index=codes.index(default),
    format_func=lambda c: f"{names.get(c, c)} ({int(by_code.at[c, 'articles']):,} articles)",
)
country = names.get(iso3, iso3)
about = explore.claims_about(view.claims, iso3)
speakers = explore.speaker_counts(about)

row = by_code.loc[iso3]
for column, (label, value) in zip(
    st.columns(4),
    {
        "Mentions": int(row["mentions"]),
        "Articles": int(row["articles"]),
        "Speakers about it": len(speakers),
        "Claims about it": len(about),
    }.items(),
    strict=True,
):
    column.metric(label, common.number(value))

left, right = st.columns(2)
with left:
    st.subheader(f"Mentions of {country} over time")
    over_time = explore.mentions_over_time(view.mentions, iso3=iso3)
    if over_time.empty:
        st.caption("None of these articles has a publication date.")
    else:
        st.plotly_chart(
            charts.timeline(over_time), key="countries.timeline", config=common.PLOTLY_CONFIG
        )
with right:
    st.subheader(f"Mentioned together with {country}")
    together = explore.co_mentions(view.mentions, iso3)
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
if not about.empty:
    st.subheader(f"Claims about {country}")
    st.dataframe(
        explore.claims_table(about, names=names),
        hide_index=True,
        width="stretch",
        column_order=["speaker", "role", "claim", "kind", "countries", "article", "date"],
    )
