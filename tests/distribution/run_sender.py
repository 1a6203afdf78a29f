"""A job runner's sender in its own process, for the fault tests: sends until nothing is due.

    python run_sender.py DATA_DIR
"""
import sys

from appliance import create_app
from appliance.core import db
from appliance.distribution import sending


def main(data_dir):
    app = create_app({"data_dir": data_dir, "jobs": False, "testing": True}, environ={})
    with app.app_context():
        database = db.connect(app.config["DATABASE"])
        idle = 0
        while idle < 3:   # a few empty ticks in a row: the other runner may still be recovering
            idle = idle + 1 if sending.send_due(database, budget_seconds=5) == 0 else 0
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
