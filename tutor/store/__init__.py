"""The learner's progress file: see tutor.store.store (the Store), .opening (damage versus a
file that cannot be reached now), .records (rows, checked on read) and .schema (migrations)."""
from tutor.store.opening import BUSY_TIMEOUT_MS, StoreError, StoreUnavailable
from tutor.store.records import BadRow, Progress, Review, Reviewed, StoredCard, from_utc_text, utc_text
from tutor.store.schema import MIGRATIONS, SCHEMA_VERSION
from tutor.store.store import Store

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "BadRow", "Progress", "Review", "Reviewed",
           "Store", "StoreError", "StoreUnavailable", "StoredCard", "from_utc_text", "utc_text"]
