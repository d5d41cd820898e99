"""Run the project's migrations to a point and back, for tests of a model that moved between apps."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate the test database to ``targets`` (app, migration name; None: before the app's
    first) and return the historical models there. Needs ``transactional_db``: SQLite's schema
    editor refuses to run inside the test's transaction."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def migrate_to_the_end() -> Apps:
    """Every app's last migration, as ``migrate`` leaves a real database."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    executor.loader.build_graph()
    return executor.loader.project_state(leaves).apps
