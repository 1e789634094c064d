// S3Client: see README.md for what lives here.
