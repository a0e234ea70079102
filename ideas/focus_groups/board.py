"""A focus group's discussion board: threads with replies, markdown (rendered and
sanitized by core.markdown in the templates) and image attachments, stored privately
and served only to whoever sees inside the group."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ideas.core import uploads
from ideas.core.db import utcnow
from ideas.core.errors import NotFound
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.focus_groups.models import Attachment, FocusGroup, Post
from ideas.focus_groups.services import MAX_TITLE, clean_text, require_inside, require_writable

MAX_BODY = 10000
MAX_IMAGES = 4
THREADS_PER_PAGE = 20
REPLIES_PER_PAGE = 30


def _store_images(images, field: str = "images") -> list:
    """Check and store every image slot (`core.uploads.ImageUpload`: each picture needs
    its alt text) privately, served only to the group; or none."""
    return uploads.store_images(images, field=field, limit=MAX_IMAGES, private=True)


def _attach(post: Post, stored) -> None:
    for position, image in enumerate(stored, start=1):
        post.attachments.append(Attachment(group_id=post.group_id, position=position, filename=image.filename,
                                           width=image.width, height=image.height, alt=image.alt))


def start_thread(user, group: FocusGroup, title: str, body: str, images=(), now=None) -> Post:
    """A new thread on the board (members inside and staff; not once archived)."""
    require_writable(user, group)
    title = clean_text(title, "title", required=True, limit=MAX_TITLE, message=_("Give the thread a title."))
    body = clean_text(body, "body", required=True, limit=MAX_BODY, message=_("Write something first."))
    stored = _store_images(images)
    now = now or utcnow()
    post = Post(group_id=group.id, author_id=user.id, title=title, body=body, created_at=now, last_activity_at=now)
    db.session.add(post)
    db.session.flush()
    _attach(post, stored)
    db.session.flush()
    return post


def reply(user, thread: Post, body: str, images=(), now=None) -> Post:
    """A reply in a thread; the thread rises to the top of the board."""
    group = db.session.get(FocusGroup, thread.group_id)
    require_writable(user, group)
    if thread.thread_id is not None:
        raise NotFound(_("We could not find that thread."))
    body = clean_text(body, "body", required=True, limit=MAX_BODY, message=_("Write something first."))
    stored = _store_images(images)
    now = now or utcnow()
    post = Post(group_id=group.id, thread_id=thread.id, author_id=user.id, body=body, created_at=now,
                last_activity_at=now)
    db.session.add(post)
    db.session.flush()
    _attach(post, stored)
    db.session.execute(update(Post).where(Post.id == thread.id)
                       .values(reply_count=Post.reply_count + 1, last_activity_at=now)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.refresh(thread, ["reply_count", "last_activity_at"])
    return post


def threads(user, group: FocusGroup, page: int = 1) -> Page:
    """The board, the most recently active thread first (authors loaded with the page)."""
    require_inside(user, group)
    query = (select(Post).where(Post.group_id == group.id, Post.thread_id.is_(None))
             .options(selectinload(Post.author)).order_by(Post.last_activity_at.desc(), Post.id.desc()))
    return paginate_offset(query, page, THREADS_PER_PAGE, db.session)


def thread_replies(user, thread: Post, page: int = 1) -> Page:
    group = db.session.get(FocusGroup, thread.group_id)
    require_inside(user, group)
    query = (select(Post).where(Post.thread_id == thread.id)
             .options(selectinload(Post.author), selectinload(Post.attachments))
             .order_by(Post.created_at, Post.id))
    return paginate_offset(query, page, REPLIES_PER_PAGE, db.session)


def attachment(user, group: FocusGroup, filename: str) -> Attachment:
    """An attachment of the group, for whoever sees inside it (else NotFound)."""
    require_inside(user, group)
    found = db.session.scalar(select(Attachment).where(Attachment.group_id == group.id,
                                                       Attachment.filename == filename))
    if found is None:
        raise NotFound(_("We could not find that file."))
    return found
