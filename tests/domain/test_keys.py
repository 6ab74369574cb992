from patron.domain import keys


def test_new_keys_are_256_bit_hex_and_distinct() -> None:
    generated = {keys.new_key() for _ in range(100)}

    assert len(generated) == 100
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in generated)


def test_a_digest_matches_only_its_own_key() -> None:
    key = keys.new_key()

    assert keys.digests_match(keys.digest(key), key)
    assert not keys.digests_match(keys.digest(key), keys.new_key())
    assert keys.digest(key) != key
