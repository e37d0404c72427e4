"""Plotly figure builders, checked on the figures' data."""

from __future__ import annotations

import pandas as pd

from claimscope import charts

COUNTS = pd.DataFrame(
    {
        "iso3": ["RUS", "VEN", "CUB"],
        "country": ["Russia", "Venezuela", "Cuba"],
        "mentions": [12, 5, 2],
        "articles": [4, 3, 1],
    }
)


def test_country_bar_puts_the_top_country_on_top_and_carries_iso3() -> None:
    fig = charts.country_bar(COUNTS, top=2)
    bar = fig.data[0]
    # Plotly draws the first category at the bottom, so the order is reversed.
    assert list(bar.y) == ["Venezuela", "Russia"]
    assert list(bar.x) == [5, 12]
    assert list(bar.customdata) == ["VEN", "RUS"]
    assert bar.orientation == "h"


def test_country_bar_highlights_the_selected_countries() -> None:
    bar = charts.country_bar(COUNTS, selected=["VEN"]).data[0]
    colours = dict(zip(bar.customdata, bar.marker.color, strict=True))
    assert colours["VEN"] == charts.ACCENT
    assert colours["RUS"] == colours["CUB"] == charts.MUTED


def test_country_bar_can_show_another_measure() -> None:
    bar = charts.country_bar(COUNTS, value="articles").data[0]
    assert list(bar.x) == [1, 3, 4]


def test_world_map_uses_iso3_locations() -> None:
    choropleth = charts.world_map(COUNTS).data[0]
    assert choropleth.locationmode == "ISO-3"
    assert list(choropleth.locations) == ["RUS", "VEN", "CUB"]
    assert list(choropleth.z) == [12, 5, 2]
    assert list(choropleth.customdata) == ["RUS", "VEN", "CUB"]


def test_timeline_has_one_bar_per_period() -> None:
    over_time = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-03-01", "2024-03-08"]),
            "mentions": [3, 7],
            "articles": [1, 2],
        }
    )
    bar = charts.timeline(over_time).data[0]
    assert len(bar.x) == 2 and list(bar.y) == [3, 7]


def test_speakers_bar_makes_one_trace_per_speaker_type() -> None:
    speakers = pd.DataFrame(
        {
            "speaker": ["Dmitry Razumovsky", "Sergey Lavrov", "Ana Ruiz"],
            "role": ["expert", "foreign minister", None],
            "type": ["expert", "official", None],
            "claims": [9, 4, 1],
            "articles": [3, 2, 1],
        }
    )
    fig = charts.speakers_bar(speakers)
    by_type = {trace.name: list(trace.y) for trace in fig.data}
    assert by_type == {
        "other": ["Ana Ruiz"],
        "official": ["Sergey Lavrov"],
        "expert": ["Dmitry Razumovsky"],
    }
    assert fig.data[2].marker.color == charts.TYPE_COLOURS["expert"]
    assert list(fig.layout.yaxis.categoryarray) == [
        "Ana Ruiz",
        "Sergey Lavrov",
        "Dmitry Razumovsky",
    ]


def test_heatmap_keeps_the_matrix_values_and_labels() -> None:
    matrix = pd.DataFrame(
        [[2, 0], [0, 1]], index=["Dmitry Razumovsky", "Sergey Lavrov"], columns=["Russia", "Cuba"]
    )
    heat = charts.heatmap(matrix).data[0]
    assert [list(row) for row in heat.z] == [[2, 0], [0, 1]]
    assert list(heat.x) == ["Russia", "Cuba"]
    assert list(heat.y) == ["Dmitry Razumovsky", "Sergey Lavrov"]


def test_tone_heatmap_colours_cells_by_mean_tone_and_writes_the_claim_counts() -> None:
    tone = pd.DataFrame(
        {
            "speaker": ["Dmitry Razumovsky", "Dmitry Razumovsky", "Sergey Lavrov"],
            "iso3": ["RUS", "VEN", "CUB"],
            "country": ["Russia", "Venezuela", "Cuba"],
            "claims": [3, 1, 1],
            "score": [-0.25, 0.7, 0.9],
        }
    )
    heat = charts.tone_heatmap(tone).data[0]
    assert list(heat.y) == ["Dmitry Razumovsky", "Sergey Lavrov"]  # most toned claims first
    assert list(heat.x) == ["Russia", "Cuba", "Venezuela"]  # then ties alphabetical
    assert [list(row) for row in heat.z] == [[-0.25, None, 0.7], [None, 0.9, None]]
    assert [list(row) for row in heat.text] == [["3", "", "1"], ["", "1", ""]]
    assert (heat.zmin, heat.zmax, heat.zmid) == (-1, 1, 0)
