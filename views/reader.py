"""Article reader: one article with its quotes, countries and entities highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from views import common

from claimscope import explore

st.title("Article reader")
common.stop_if_empty()

filters = common.current_filters()
chosen = common.articles(filters)
articles = chosen.rows
asked = st.query_params.get("article")
if asked and asked not in set(articles["id"]):
    # A link to one article opens it even when the filters would hide it (or it
    # is past the newest ones listed).
    row = common.article_row(asked)
    if row is None:
        st.warning("The article in this link is not in the store.")
    else:
        articles = pd.concat([pd.DataFrame([row]), articles], ignore_index=True)
if articles.empty:
    common.no_match_notice()
    st.stop()

labels = {row["id"]: explore.article_label(row) for row in articles.to_dict("records")}
ids = list(labels)
article_id = st.selectbox(
    f"Article ({chosen.total:,} match the filters)",
    ids,
    index=ids.index(asked) if asked in labels else 0,
    format_func=labels.get,
)
if chosen.total > len(chosen.rows):
    st.caption(
        f"The newest {len(chosen.rows):,} are listed: narrow the filters (dates, source,"
        " search) to reach the others, or open one from the Speakers & claims table."
    )
if article_id != asked:
    st.query_params["article"] = article_id

article = common.read_article(article_id)
if article is None:
    st.warning("This article is no longer in the store.")
    st.stop()

# Uploaded values are data: escaped, so a title or a file name cannot become markup.
shown = explore.escape_markdown
facts = [f"**Source:** {shown(article.source)}" if article.source else None]
facts += [f"**Published:** {article.published}" if article.published else None]
facts += [f"**Dateline:** {shown(article.dateline)}" if article.dateline else None]
facts += [f"**File:** {shown(article.path)}"]
st.markdown(" · ".join(f for f in facts if f))
if url := explore.safe_url(article.url):
    st.link_button("Original article", url, icon=":material/open_in_new:")

counts = (len(article.quotes), len(article.countries), len(article.entities))
st.caption(f"{counts[0]:,} quotes · {counts[1]:,} country mentions · {counts[2]:,} entities")

STYLE = """
<style>
.cs-text { white-space: pre-wrap; line-height: 1.7; font-size: 1rem; max-width: 60rem; }
.cs-text mark { padding: 0; border-radius: 2px; color: inherit; }
mark.cs-quote { background: #fef3c7; }
mark.cs-entity { background: #e0e7ff; }
mark.cs-country { background: #bbf7d0; font-weight: 600; }
.cs-legend mark { margin-right: 0.75rem; padding: 1px 6px; border-radius: 3px; }
</style>
"""
st.html(
    STYLE + '<div class="cs-legend"><mark class="cs-quote">quote</mark>'
    '<mark class="cs-country">country</mark><mark class="cs-entity">other entity</mark>'
    "<span>— hover a highlight for details</span></div>"
)
st.html(STYLE + f'<div class="cs-text">{explore.annotate_html(article)}</div>')

quotes_tab, countries_tab, entities_tab = st.tabs(
    [f"Quotes ({counts[0]:,})", f"Countries ({counts[1]:,})", f"Entities ({counts[2]:,})"]
)
for tab, kind in ((quotes_tab, "quotes"), (countries_tab, "countries"), (entities_tab, "entities")):
    with tab:
        rows = explore.article_rows(article, kind=kind)
        if rows.empty:
            st.caption(f"No {kind} found in this article.")
        else:
            st.dataframe(rows, hide_index=True, width="stretch")
