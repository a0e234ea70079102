"""Extensions, created unbound: `create_app` calls their `init_app`."""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from ideas.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
bootstrap = Bootstrap5()
cache = Cache()  # shared: SimpleCache in-process, RedisCache when REDIS_URL is set (config.py)
fragment_cache = Cache(with_jinja2_ext=False)  # always in-process (ideas/core/fragments.py says why)
