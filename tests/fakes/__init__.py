"""Stand-ins for what the tests cannot have here: moto's gaps mended, Stubber responses, docker, a clock."""
