from nearshore.cli.main import run

run()
