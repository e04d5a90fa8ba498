"""Each block of rendered rich text decides its own direction (dir="auto" on every block)."""

from django.utils.safestring import SafeData, mark_safe

from sitewide.bidi import with_auto_direction


def test_every_paragraph_list_item_heading_and_cell_gets_dir_auto():
    html = mark_safe(
        '<p data-block-key="a">سلام</p><p>Open Settings.</p><ul><li>One</li></ul><h2>Title</h2>'
        "<table><tr><th>A</th><td>B</td></tr></table><blockquote>Q</blockquote>"
    )

    assert with_auto_direction(html) == (
        '<p data-block-key="a" dir="auto">سلام</p><p dir="auto">Open Settings.</p><ul><li dir="auto">One</li></ul>'
        '<h2 dir="auto">Title</h2><table><tr><th dir="auto">A</th><td dir="auto">B</td></tr></table>'
        '<blockquote dir="auto">Q</blockquote>'
    )


def test_an_element_with_a_direction_code_and_inline_text_are_left_as_they_are():
    html = mark_safe('<p dir="ltr">x</p><pre><code>a &lt; b</code></pre><span>s</span><br/>')

    assert with_auto_direction(html) == html


def test_a_tag_written_inside_an_attribute_or_a_comment_is_text_not_a_tag():
    html = mark_safe('<a title="<p>" href="/x?a=1&amp;b=2">x</a><!-- <p> --><img alt="<li>" src="/i.png">')

    assert with_auto_direction(html) == html


def test_text_that_is_not_safe_is_escaped_first_and_the_result_is_safe():
    result = with_auto_direction("<p>hi</p>")

    assert result == "&lt;p&gt;hi&lt;/p&gt;" and isinstance(result, SafeData)
