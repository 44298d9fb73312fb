import io
import json

from wiretrace.render.jsonfile import write_json


def test_the_streamed_file_is_the_document_one_element_per_line(tmp_path):
    doc = {"version": "1", "articles": [{"id": "a", "text": "line\nbreak \u2028 \u201cq\u201d \x00"},
                                        {"id": "b", "text": "</script>"}],
           "stories": [], "problems": [{"path": "x", "line": None}], "n": {"k": [1, 2]}}
    out = tmp_path / "sub" / "a.json"
    write_json(doc, out)
    text = out.read_text(encoding="utf-8")
    assert json.loads(text) == doc and list(json.loads(text)) == list(doc)
    lines = text.splitlines()
    assert sum(1 for ln in lines if ln.lstrip(",").startswith('{"id"')) == 2
    assert not (tmp_path / "sub" / "a.json.part").exists()


def test_a_stream_and_standard_output(capsys):
    buf = io.StringIO()
    write_json({"a": [1], "b": {}}, buf)
    assert json.loads(buf.getvalue()) == {"a": [1], "b": {}}
    write_json({"a": []}, "-")
    assert json.loads(capsys.readouterr().out) == {"a": []}
