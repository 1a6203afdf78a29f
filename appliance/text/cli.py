"""``cem text ...``: analyse, evaluate, build-models, train-tags (no database)."""
import csv
import functools
import json
import os
import sys

import click

DIR_OPTIONS = [
    click.option("--models-dir", type=click.Path(file_okay=False), default=None,
                 help="Where the models are (default: text_models_dir of the configuration)."),
    click.option("--config-dir", type=click.Path(file_okay=False), default=None,
                 help="Dictionary, stopwords, taxonomy and lexicon (default: text_config_dir)."),
]


def with_dirs(command):
    """The directory options, defaulting to the appliance's configuration (file and
    TINGJIAN_* environment), so these commands use the directories the server reads."""
    @functools.wraps(command)
    def configured(*args, models_dir, config_dir, **kwargs):
        if models_dir is None or config_dir is None:
            from ..core.config import ConfigError, load
            try:
                settings = load(environ=os.environ)
            except ConfigError as error:
                raise click.ClickException(str(error)) from None
            models_dir = models_dir or settings["TEXT_MODELS_DIR"]
            config_dir = config_dir or settings["TEXT_CONFIG_DIR"]
        return command(*args, models_dir=models_dir, config_dir=config_dir, **kwargs)
    for option in reversed(DIR_OPTIONS):
        configured = option(configured)
    return configured


text_cli = click.Group("text", help="Offline text analytics: analyse, evaluate, build-models and "
                                    "train-tags need no database; import, reanalyse and train "
                                    "work on the appliance's data.")


@text_cli.command("analyse")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--batch-size", default=500, show_default=True, help="Texts analysed together.")
@with_dirs
def analyse_command(file, batch_size, models_dir, config_dir):
    """Analyse texts, one per line (UTF-8) from FILE or standard input, and
    print one JSON object per line, in order."""
    from ..textengine.analyzer import Analyzer, ModelsMissing
    try:
        analyzer = Analyzer.load(config_dir=config_dir, models_dir=models_dir)
    except ModelsMissing as error:
        raise click.ClickException(str(error)) from None
    batch = []
    for raw in file:
        batch.append(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
        if len(batch) >= batch_size:
            _print_batch(analyzer, batch)
            batch = []
    _print_batch(analyzer, batch)


def _print_batch(analyzer, batch):
    for analysis in analyzer.analyse_batch(batch):
        click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))


@text_cli.command("build-models")
@click.option("--if-needed", is_flag=True,
              help="Do nothing when the built models match the code, corpora and dictionary.")
@with_dirs
def build_models_command(if_needed, models_dir, config_dir):
    """Train the sentiment models from the packaged corpora (offline)."""
    from ..textengine.build import build_models, built_version, expected_version
    if if_needed and built_version(models_dir) == expected_version(config_dir, models_dir):
        click.echo(f"models are up to date (version {built_version(models_dir)})")
        return
    meta = build_models(models_dir, config_dir, log=click.echo)
    click.echo(f"model version {meta['version']}")


@text_cli.command("evaluate")
@with_dirs
def evaluate_command(models_dir, config_dir):
    """Print accuracy and F1 per language on the held-out split."""
    from ..textengine.analyzer import ModelsMissing
    from ..textengine.build import evaluate
    try:
        results = evaluate(models_dir, config_dir)
    except ModelsMissing as error:
        raise click.ClickException(str(error)) from None
    for language, scores in results.items():
        click.echo(f"{language}: accuracy {scores['accuracy']:.4f}  F1 {scores['f1']:.4f}  "
                   f"macro-F1 {scores['macro_f1']:.4f}  (held-out texts: {scores['n']})")


@text_cli.command("train-tags")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_dirs
def train_tags_command(file, models_dir, config_dir):
    """Train the tag model from a CSV with columns text,tags (tags separated by ;)."""
    from ..textengine.build import train_tags
    try:
        labelled = read_labelled_csv(file)
        result = train_tags(labelled, models_dir, config_dir)
    except (ValueError, KeyError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"trained {len(result['tags'])} tags on {result['texts']} texts: "
               + ", ".join(result["tags"]))


def read_labelled_csv(path):
    """[(text, [tags])] from a UTF-8 CSV with a header row text,tags."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "tags"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the header row must name the columns text and tags")
        return [(row["text"] or "", [t.strip() for t in (row["tags"] or "").split(";") if t.strip()])
                for row in reader]


# --- commands over the appliance's database (text_items, external_texts, text_labels) ---

def _app_db():
    from ..core.commands import app_context
    from ..core.db import get_db
    context = app_context()
    context.push()
    return context, get_db()


def _progress(label):
    import time
    started = time.monotonic()
    return lambda n: click.echo(f"  {label} {n:,} texts ({time.monotonic() - started:.0f} s)")


@text_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(file):
    """Import external texts (reviews, call-centre notes) from a .csv or .xlsx with the
    columns unit_code, date, source, channel, text; all rows or none; then analyse them."""
    from . import importer, pipeline
    context, db = _app_db()
    try:
        try:
            import_id, rows = importer.import_file(db, file)
        except importer.ImportProblems as problems:
            click.echo(problems.report(), err=True)
            raise click.ClickException(f"{file}: nothing imported ({len(problems.problems)} "
                                       "problem(s) above); fix the file and import it again")
        click.echo(f"imported {rows:,} texts from {file} (import #{import_id})")
        analysed = pipeline.analyse_external(db, import_id=import_id,
                                             progress=_progress("analysed"))
        click.echo(f"analysed {analysed:,} texts")
    finally:
        context.pop()


@text_cli.command("reanalyse")
@click.option("--since", default=None, help="Only texts from this date on (YYYY-MM-DD).")
def reanalyse_command(since):
    """Analyse every survey verbatim and imported text again (after a model,
    dictionary or taxonomy change). Analysts' corrections are kept."""
    from datetime import date
    from . import pipeline
    try:
        since = date.fromisoformat(since).isoformat() if since else None
    except ValueError:
        raise click.BadParameter("write the date as YYYY-MM-DD", param_hint="--since") from None
    context, db = _app_db()
    try:
        total, seconds = pipeline.reanalyse(db, since=since, progress=_progress("analysed"))
    finally:
        context.pop()
    rate = total / seconds if seconds else 0
    click.echo(f"reanalysed {total:,} texts in {seconds:.1f} s ({rate:,.0f} texts/s)")


@text_cli.command("train")
def train_command():
    """Retrain offline from the analysts' corrections: the sentiment models (the packaged
    corpora plus the corrected sentiments) and the tag classifier (corrected tags plus the
    keyword rules' tags); new analyses then use them."""
    from . import labels, pipeline
    from ..textengine.build import build_models, evaluate, train_tags
    context, db = _app_db()
    try:
        sentiments = labels.sentiment_labels(db)
        labelled, corrected = labels.training_set(db)
        if sentiments:
            click.echo("retraining sentiment with " + ", ".join(
                f"{len(rows):,} {lang}" for lang, rows in sorted(sentiments.items()))
                + " corrected texts")
            build_models(pipeline.models_dir(), pipeline.config_dir(), enterprise=sentiments)
            for language, scores in evaluate(pipeline.models_dir(), pipeline.config_dir()).items():
                click.echo(f"  {language}: held-out accuracy {scores['accuracy']:.4f}  "
                           f"F1 {scores['f1']:.4f}")
        try:
            result = train_tags(labelled, pipeline.models_dir(), pipeline.config_dir())
        except ValueError as error:
            raise click.ClickException(f"cannot train tags yet: {error}") from None
    finally:
        context.pop()
    counts = labels.tag_counts(labelled)
    click.echo(f"trained {len(result['tags'])} tags on {result['texts']:,} texts "
               f"({corrected:,} corrected by analysts):")
    for tag in result["tags"]:
        click.echo(f"  {tag:24} {counts.get(tag, 0):>7,} texts")
    click.echo("run `cem text reanalyse` to tag the texts already analysed")


if __name__ == "__main__":
    sys.exit(text_cli())
