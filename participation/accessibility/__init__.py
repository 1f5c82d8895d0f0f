"""The accessibility statement (tillgänglighetsredogörelse) required of Swedish public bodies."""
