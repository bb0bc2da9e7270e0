/**
 * Code that runs once per deploy and is not edited afterwards: schema and data migrations (Ghost's
 * `data/migrations/versions/…`, Django's `migrations/`, Alembic's `alembic/versions/`, Glance's
 * `alembic_migrations/versions/`) and seeds
 * (knex). Its cost does not recur per request, and copies between migrations are history, not
 * code someone maintains twice.
 */
export const ONE_OFF_PATH =
  /(?:^|\/)(?:(?:[\w-]*[_-])?migrations?|migrate|seeds?|seeders?|alembic[\w-]*\/versions)\//i;

/**
 * A Django management command (`app/management/commands/syncdata.py`): run when an operator starts
 * it (`manage.py syncdata`), with values from its options and the settings, never per request.
 */
export const MANAGEMENT_COMMAND_PATH = /(?:^|\/)management\/commands\/[^/]+\.py$/;

/**
 * A script an operator or developer runs by hand (Etherpad's `bin/checkAllPads.js`, a repository's
 * `scripts/backfill.ts`), not code that serves requests. A `scripts/` folder under a served or
 * client folder (`public/scripts/feed.js`) holds the pages' own code, which runs on every visit.
 */
export const OPERATOR_SCRIPT_PATH =
  /^(?!(?:[^/]+\/)*(?:public|static|assets|wwwroot|www|webroot|client|frontend|browser)\/)(?:[^/]+\/)*(?:bin|scripts?)\//;
