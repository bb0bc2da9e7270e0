/**
 * Code that runs once per deploy and is not edited afterwards: schema and data migrations (Ghost's
 * `data/migrations/versions/…`, Django's `migrations/`, Alembic's `alembic/versions/`, Glance's
 * `alembic_migrations/versions/`) and seeds
 * (knex). Its cost does not recur per request, and copies between migrations are history, not
 * code someone maintains twice.
 */
export const ONE_OFF_PATH =
  /(?:^|\/)(?:(?:[\w-]*[_-])?migrations?|migrate|seeds?|seeders?|alembic[\w-]*\/versions)\//i;
