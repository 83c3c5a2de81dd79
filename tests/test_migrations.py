from io import StringIO

from django.core.management import call_command


def test_the_migrations_describe_every_model_change(db):
    out = StringIO()
    # --check exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_stored_score_parameters_are_clamped_into_their_ranges(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("core", "0001_initial")], [("core", "0002_clamp_score_parameters")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    Workspace = executor.loader.project_state(before).apps.get_model("core", "Workspace")
    # jsonb keeps 1e400 (as a 401-digit integer); NaN and infinity it refuses.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_workspace (name, score_parameters, created_at) "
            "VALUES (%s, %s::jsonb, now()) RETURNING id",
            ["Odd", '{"k": 0, "w_online": 1e308, "w_offline": 1e400, "weights": {"github.stars": -2, '
                    '"reddit.karma": "lots"}, "bases": {"talk": 20000}, "half_lives": {"book": 0, "talk": 90}}'],
        )
        odd = cursor.fetchone()[0]
    fine = Workspace.objects.create(name="Fine", score_parameters={"k": 45, "bases": {"book": 20}})
    plain = Workspace.objects.create(name="Plain")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Workspace = executor.loader.project_state(after).apps.get_model("core", "Workspace")
    assert Workspace.objects.get(pk=odd).score_parameters == {
        "k": 1.0, "w_online": 1000.0, "w_offline": 1000.0, "weights": {"github.stars": 0.0}, "bases": {"talk": 10000.0},
        "half_lives": {"book": 1.0, "talk": 90.0},
    }
    assert Workspace.objects.get(pk=fine.pk).score_parameters == {"k": 45, "bases": {"book": 20}}
    assert Workspace.objects.get(pk=plain.pk).score_parameters == {}
    # Leave the schema as the other tests expect it: every migration applied.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
