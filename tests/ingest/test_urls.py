from watchfloor.ingest.urls import canonical_url


def test_canonical_url_drops_noise_and_keeps_identity():
    assert (
        canonical_url(
            "HTTPS://WWW.Example.COM:443/World/Story?b=2&utm_source=x&a=1&fbclid=z#comments"
        )
        == "https://www.example.com/World/Story?a=1&b=2"
    )
    assert canonical_url("http://example.com:8080") == "http://example.com:8080/"
    assert canonical_url("http://example.com:80/a") == "http://example.com/a"
    assert canonical_url("file:///tmp/x.txt") == "file:///tmp/x.txt"
