"""What a domain's `cem` command needs from the appliance, without importing the top.

The `cem` group (appliance/cli.py) puts a CommandEnvironment on the click context;
a domain command asks it for an app context (config, database, the registry)."""
import click


class CommandEnvironment:
    def __init__(self, create_app, errors=()):
        self.create_app = create_app
        self.errors = errors   # exceptions of the factory that are a person's problem, not a bug

    def app_context(self):
        """An app context without a job runner, for commands that use domain services."""
        try:
            app = self.create_app({"jobs": False})
        except self.errors as exc:
            raise click.ClickException(str(exc)) from None
        return app.app_context()


def app_context():
    """The app context for the `cem` command being run."""
    environment = click.get_current_context().find_object(CommandEnvironment)
    if environment is None:
        raise click.ClickException("run this through `cem`")
    return environment.app_context()
