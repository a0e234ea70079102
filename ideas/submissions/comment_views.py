"""Comment routes on the submissions blueprint. Each works without JavaScript (303 back
to the idea page at the comment) and with htmx (the re-rendered thread or comment)."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_, func, or_, select

from ideas.core.db import writing
from ideas.core.errors import DomainError, NotFound
from ideas.core.fragments import fragment
from ideas.core.i18n import ago, when
from ideas.core.live import announce
from ideas.core.names import name_badge
from ideas.core.pagination import page_arg
from ideas.core.routes import Routes
from ideas.extensions import db, limiter
from ideas.submissions import comments as svc
from ideas.submissions.forms import (
    CommentDeleteForm,
    CommentEditForm,
    CommentForm,
    CommentHelpfulForm,
)
from ideas.submissions.models import Comment, Idea
from ideas.submissions.policy import can_view_idea

# Not a Blueprint: these routes join the submissions blueprint when create_app calls
# bp.register(submissions.views.bp), not as a side effect of importing this file.
bp = Routes()
bp.add_app_template_filter(svc.link_mentions, "mentions")


@bp.app_template_global("comment_public")
def comment_public(c: Comment, thread: dict, is_reply: bool):
    """What everyone who sees the page sees of a comment, memoized by its values
    (templates/submissions/_comment_public.html); built here, not in the template,
    because a page shows dozens of comments."""
    author = c.author
    hidden = c.hidden_at is not None
    return fragment(
        "submissions/_comment_public.html", "comment_public", id=c.id, is_reply=is_reply,
        author_username=author.username, author_name=author.display_name, author_avatar=author.avatar,
        is_idea_author=author.id == thread["idea"].author_id, author_badge=name_badge(author.id),
        helpful=c.helpful_at is not None and c.deleted_at is None and not hidden, created_at=c.created_at,
        created_when=when(c.created_at), created_ago=ago(c.created_at), edited_when=when(c.edited_at),
        deleted=c.deleted_at is not None, hidden=hidden, hidden_reason=c.hidden_reason if hidden else None,
        show_hidden_body=bool(thread["is_staff"] and hidden),
        body=c.body if c.deleted_at is None else "", known_usernames=thread["known_usernames"],
    )


_SAFE_ID = re.compile(r"^[A-Za-z][\w-]{0,60}$")


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def idea_path(idea: Idea, comment_id: int | None = None, page: int | None = None) -> str:
    path = url_for("submissions.show", idea_id=idea.id, slug=idea.slug)
    if page and page > 1:
        path += f"?comments_page={page}"
    return path + (f"#comment-{comment_id}" if comment_id else "#comments")


def _visible_idea(idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None or not can_view_idea(current_user, idea):
        raise NotFound(_("We could not find that idea."))
    return idea


def _thread_page(comment: Comment) -> int:
    """The page of the thread where `comment` (or its top-level parent) is listed."""
    top = db.session.get(Comment, comment.parent_id) if comment.parent_id else comment
    before = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.idea_id == top.idea_id, Comment.parent_id.is_(None),
            or_(Comment.created_at < top.created_at,
                and_(Comment.created_at == top.created_at, Comment.id < top.id)),
        )
    ) or 0
    return before // svc.PER_PAGE + 1


def _render_thread(idea: Idea, page: int, status: int = 200):
    thread = svc.comment_thread(current_user, idea, page)
    return render_template("submissions/_comments.html", thread=thread), status


def _render_comment(comment: Comment, idea: Idea):
    """One comment's article (edit/delete under htmx), with the permissions the thread gives."""
    thread = svc.comment_thread(current_user, idea, _thread_page(comment))
    return render_template("submissions/_comment.html", c=comment, thread=thread,
                           is_reply=comment.parent_id is not None)


def _invalid(message: str, idea: Idea, comment_id: int | None = None, status: int = 422):
    """A validation or domain error: its status with the message (htmx), else flash and back."""
    db.session.rollback()
    if _htmx():
        response = render_template("errors/_inline.html", message=message)
        headers = {}
        trigger = request.headers.get("HX-Trigger", "")
        if _SAFE_ID.match(trigger):
            headers = {"HX-Retarget": f"#{trigger}-error", "HX-Reswap": "innerHTML"}
        return response, status, headers
    if status == 403:  # may see the idea, not do this: the error page says why
        abort(403, description=message)
    flash(message, "danger")
    return redirect(idea_path(idea, comment_id), code=303)


def _form_message(form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return _("Please check the comment and try again.")


@bp.get("/ideas/<int:idea_id>/comments")
def comment_list(idea_id: int):
    """The thread alone (htmx pager); a browser is sent to the idea page."""
    idea = _visible_idea(idea_id)
    page = page_arg("comments_page")
    if not _htmx():
        return redirect(idea_path(idea, page=page), code=303)
    return _render_thread(idea, page)


@bp.post("/ideas/<int:idea_id>/comments")
@limiter.limit("12 per minute")  # a person types slower than this; a spam script does not
@login_required
def comment_create(idea_id: int):
    idea = _visible_idea(idea_id)
    form = CommentForm()
    if not form.validate():
        return _invalid(_form_message(form), idea)
    parent = None
    if form.parent_id.data:
        parent = db.session.get(Comment, form.parent_id.data)
        if parent is None or parent.idea_id != idea.id:
            return _invalid(_("That comment no longer exists."), idea)
    try:
        with writing(db.session):
            comment = svc.post_comment(current_user, idea, form.body.data, parent=parent)
    except NotFound:
        raise
    except DomainError as exc:  # shown beside the form (htmx) or flashed
        return _invalid(exc.message, idea, status=exc.status_code)
    page = _thread_page(comment)
    if _htmx():  # the thread is swapped in: say so, and put focus on the new comment
        html, status = _render_thread(idea, page)
        return html, status, announce(_("Your comment is posted."), focus=f"#comment-{comment.id}")
    flash(_("Your comment is posted."), "success")
    return redirect(idea_path(idea, comment.id, page), code=303)


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def comment_edit(comment_id: int):
    comment, idea = svc.get_comment(current_user, comment_id)
    form = CommentEditForm()
    if not form.validate():
        return _invalid(_form_message(form), idea, comment.id)
    return _change(comment, idea, lambda: svc.edit_comment(current_user, comment, form.body.data),
                   _("Your comment is updated."))


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def comment_delete(comment_id: int):
    comment, idea = svc.get_comment(current_user, comment_id)
    if not CommentDeleteForm().validate():
        abort(400)
    return _change(comment, idea, lambda: svc.delete_comment(current_user, comment),
                   _("Your comment is deleted."))


def _change(comment: Comment, idea: Idea, action, done: str):
    """Run an edit or delete of one's comment: the re-rendered comment for htmx, else
    back to it on the idea page; a refusal is shown in place (NotFound stays a 404)."""
    try:
        with writing(db.session):
            action()
    except NotFound:
        raise
    except DomainError as exc:
        return _invalid(exc.message, idea, comment.id, exc.status_code)
    if _htmx():
        return _render_comment(comment, idea), 200, announce(done, focus=f"#comment-{comment.id}")
    flash(done, "success")
    return redirect(idea_path(idea, comment.id, _thread_page(comment)), code=303)


@bp.post("/comments/<int:comment_id>/helpful")
@login_required
def comment_helpful(comment_id: int):
    """The idea's authors or staff mark a comment helpful (helpful=y) or take it back."""
    comment, idea = svc.get_comment(current_user, comment_id)
    form = CommentHelpfulForm()
    if not form.validate():
        abort(400)
    return _change(comment, idea, lambda: svc.mark_helpful(current_user, comment, form.helpful.data),
                   _("Marked helpful.") if form.helpful.data else _("The helpful mark is taken back."))
