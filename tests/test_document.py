"""The document: edits as undo steps, and the selection following renames and deletes."""

from __future__ import annotations

from conftest import small_chain

from ui.document import Document


def test_a_renamed_enterprise_stays_selected_through_undo_and_redo(qtbot):
    document = Document(small_chain())
    document.set_selection({"S1"}, {("S1", "C")})
    s1 = document.model.enterprises[1]
    document.set_values([(s1, "id", "T1-01")], "rename")
    assert document.selected_enterprises == {"T1-01"}
    assert document.selected_links == {("T1-01", "C")}
    document.undo_stack.undo()
    assert document.selected_enterprises == {"S1"}
    document.undo_stack.redo()
    assert document.selected_enterprises == {"T1-01"}


def test_a_deleted_enterprise_leaves_the_selection_with_its_links(qtbot):
    document = Document(small_chain())
    document.set_selection({"S1", "S2"}, {("S2", "S1"), ("C", "D1")})
    document.delete({"S1"}, set())
    assert document.selected_enterprises == {"S2"}
    assert document.selected_links == {("C", "D1")}
