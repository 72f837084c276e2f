// The Zof site's script: it ships with the site and requests nothing from elsewhere.
