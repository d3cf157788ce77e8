from cockpit.cli import run

run()
