"""The sandboxes' own tests: the local QuickBooks and Scoro servers behave as the real services
do. They test the imitation, not the app."""
