"""Everything about the package is in setup.cfg but one mapping: the report templates live at
the top level in reports/ (the product's layout) and ship inside the package as
appliance/report_templates/, so an installed wheel renders reports outside the checkout
(appliance/pdf/assets.py looks there first)."""
from setuptools import find_namespace_packages, setup

setup(packages=find_namespace_packages(include=["appliance*"]) + ["appliance.report_templates"],
      package_dir={"appliance.report_templates": "reports"},
      package_data={"appliance.report_templates": ["*.html", "*.css", "*.md"]})
