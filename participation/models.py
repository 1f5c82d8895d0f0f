"""Every domain's models, imported once so SQLAlchemy knows all tables (and Alembic compares
them) before anything runs. The order is the domains' own, bottom up."""

from .accounts import models as accounts  # noqa: F401
from .accounts import sessions as staff_sessions  # noqa: F401
from .activities import models as activities  # noqa: F401
from .backlog import models as backlog  # noqa: F401
from .budgets import models as budgets  # noqa: F401
from .core import receipts  # noqa: F401
from .demographics import models as demographics  # noqa: F401
from .events import models as events  # noqa: F401
from .members import models as members  # noqa: F401
from .notifications import models as notifications  # noqa: F401
from .ops import models as ops  # noqa: F401
from .participants import models as participants  # noqa: F401
from .proposals import models as proposals  # noqa: F401
from .review import models as review  # noqa: F401
