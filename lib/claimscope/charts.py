"""Plotly figures for the dashboard: each builder takes an aggregate frame and returns a Figure.

Builders are pure (no streamlit, no store), so tests check the figure's data.
Country traces carry the ISO3 code in ``customdata`` so that a click on a bar
or a map shape tells the page which country was chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

ACCENT = "#2563eb"
MUTED = "#93c5fd"
TYPE_COLOURS = {
    "official": "#2563eb",
    "expert": "#059669",
    "organization": "#d97706",
    "journalist": "#7c3aed",
    "other": "#6b7280",
}
_FONT = {"family": "Inter, system-ui, sans-serif", "size": 13}


def _layout(fig: go.Figure, *, height: int, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        title=title,
        font=_FONT,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"font_size": 13},
    )
    return fig


def country_bar(
    counts: pd.DataFrame,
    *,
    value: str = "mentions",
    selected: Sequence[str] = (),
    top: int = 20,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of the ``top`` countries by ``value``, the selected ones highlighted.

    ``counts`` has ``iso3``, ``country`` and the ``value`` column, as from
    :func:`claimscope.explore.country_counts` or :func:`~claimscope.explore.co_mentions`.
    """
    shown = counts.head(top).iloc[::-1]  # plotly draws the first row at the bottom
    colours = [ACCENT if not selected or code in selected else MUTED for code in shown["iso3"]]
    fig = go.Figure(
        go.Bar(
            x=shown[value].tolist(),
            y=shown["country"].tolist(),
            orientation="h",
            customdata=shown["iso3"].tolist(),
            marker_color=colours,
            hovertemplate=f"%{{y}} (%{{customdata}}): %{{x:,}} {value}<extra></extra>",
        )
    )
    fig.update_xaxes(title=value, showgrid=True, gridcolor="#e5e7eb", tickformat=",")
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, height=max(220, 26 * len(shown) + 60), title=title)


def world_map(
    counts: pd.DataFrame, *, value: str = "mentions", title: str | None = None
) -> go.Figure:
    """A world choropleth of ``value`` per country (ISO3 locations)."""
    fig = go.Figure(
        go.Choropleth(
            locations=counts["iso3"].tolist(),
            z=counts[value].tolist(),
            text=counts["country"].tolist(),
            customdata=counts["iso3"].tolist(),
            locationmode="ISO-3",
            colorscale="Blues",
            marker_line_color="#ffffff",
            marker_line_width=0.5,
            colorbar={"title": value, "thickness": 12},
            hovertemplate=f"%{{text}}: %{{z:,}} {value}<extra></extra>",
        )
    )
    fig.update_geos(
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="#d1d5db",
        showland=True,
        landcolor="#f3f4f6",
        projection_type="natural earth",
        # The whole world, Greenwich in the middle, Antarctica cropped.
        projection_rotation_lon=0,
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 85],
    )
    return _layout(fig, height=460, title=title)


def timeline(
    over_time: pd.DataFrame, *, value: str = "mentions", title: str | None = None
) -> go.Figure:
    """Bars of ``value`` per period, from :func:`claimscope.explore.mentions_over_time`."""
    fig = go.Figure(
        go.Bar(
            x=over_time["period"].tolist(),
            y=over_time[value].tolist(),
            marker_color=ACCENT,
            hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,}} {value}<extra></extra>",
        )
    )
    fig.update_yaxes(title=value, gridcolor="#e5e7eb", tickformat=",")
    fig.update_xaxes(title=None)
    return _layout(fig, height=280, title=title)


def speakers_bar(speakers: pd.DataFrame, *, top: int = 15, title: str | None = None) -> go.Figure:
    """Horizontal bars of claims per speaker, coloured by speaker type (one trace per type)."""
    shown = speakers.head(top).iloc[::-1]
    fig = go.Figure()
    types = shown["type"].fillna("other")
    for kind in dict.fromkeys(types):
        part = shown[types == kind]
        fig.add_trace(
            go.Bar(
                x=part["claims"].tolist(),
                y=part["speaker"].tolist(),
                orientation="h",
                name=kind,
                customdata=part["role"].fillna("").tolist(),
                marker_color=TYPE_COLOURS.get(kind, TYPE_COLOURS["other"]),
                hovertemplate="%{y} (%{customdata}): %{x:,} claims<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="speaker type")
    fig.update_yaxes(
        categoryorder="array", categoryarray=shown["speaker"].tolist(), automargin=True
    )
    fig.update_xaxes(title="claims", gridcolor="#e5e7eb", tickformat=",")
    return _layout(fig, height=max(220, 26 * len(shown) + 60), title=title)


def heatmap(matrix: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Speaker x country claim counts, from :func:`claimscope.explore.speaker_country_matrix`."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy().tolist(),
            x=[str(c) for c in matrix.columns],
            y=[str(i) for i in matrix.index],
            colorscale="Blues",
            hovertemplate="%{y} on %{x}: %{z:,} claims<extra></extra>",
            colorbar={"title": "claims", "thickness": 12},
        )
    )
    # dtick=1: label every speaker and every country, not every other one.
    fig.update_yaxes(autorange="reversed", automargin=True, dtick=1)
    fig.update_xaxes(tickangle=-40, automargin=True, dtick=1)
    return _layout(fig, height=max(260, 28 * len(matrix.index) + 120), title=title)


def tone_heatmap(tone: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Speaker x country cells coloured by mean tone (-1 red .. +1 blue), from
    :func:`claimscope.explore.speaker_country_tone`; the cell text is the claim count.

    Speakers and countries are ordered by how many toned claims they have; an
    empty cell has no toned claim."""
    speakers = tone.groupby("speaker")["claims"].sum().sort_index()
    speakers = speakers.sort_values(ascending=False, kind="stable").index.tolist()
    countries = tone.groupby("country")["claims"].sum().sort_index()
    countries = countries.sort_values(ascending=False, kind="stable").index.tolist()
    score = tone.pivot_table(index="speaker", columns="country", values="score", aggfunc="mean")
    score = score.reindex(index=speakers, columns=countries)
    claims = tone.pivot_table(index="speaker", columns="country", values="claims", aggfunc="sum")
    claims = claims.reindex(index=speakers, columns=countries)
    z = [[None if pd.isna(v) else round(float(v), 3) for v in row] for row in score.to_numpy()]
    counts = [["" if pd.isna(v) else str(int(v)) for v in row] for row in claims.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in countries],
            y=[str(s) for s in speakers],
            text=counts,
            texttemplate="%{text}",
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale="RdBu",
            hovertemplate="%{y} on %{x}: mean tone %{z:+.2f} over %{text} claims<extra></extra>",
            colorbar={"title": "tone", "thickness": 12, "tickvals": [-1, 0, 1]},
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, dtick=1)
    fig.update_xaxes(tickangle=-40, automargin=True, dtick=1)
    return _layout(fig, height=max(260, 28 * len(speakers) + 120), title=title)
