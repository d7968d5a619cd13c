"""Runs every end-to-end test module (test_*.py beside this file) and prints one
closing line: "e2e: N passed, M failed".

Modules run in name order, except those in LAST, which disturb what every other test
shares (they restart the test cluster) and so run after all the others."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
LAST = ("test_database_restart",)

loader = unittest.defaultTestLoader
names = sorted(f[:-3] for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
names = [n for n in names if n not in LAST] + [n for n in LAST if n in names]
suite = unittest.TestSuite(loader.loadTestsFromName(n) for n in names)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
passed = result.testsRun - failed - len(result.skipped)
print(f"e2e: {passed} passed, {failed} failed", flush=True)
sys.exit(1 if failed else 0)
