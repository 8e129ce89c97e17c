"""The window opens on the demonstration circuit and draws it."""
from gui.app import DEFAULT_CIRCUIT


def test_opens_default_circuit(window):
    assert window.open_path(str(DEFAULT_CIRCUIT), interactive=False)
    assert set(window.scene.regions) == {"E", "I"}
    assert len(window.scene.projections) == 4
    assert not window.document.modified
    assert window.validate() is None
