from engage.core.passwords import common_passwords, hash_password, is_common, verify_password


def test_common_list_is_shipped_and_large():
    assert len(common_passwords()) >= 10_000
    assert is_common("password") and is_common("Qwertyuiop") and is_common("1234567890")
    assert not is_common("chestnut tram on khreshchatyk")


def test_hash_is_slow_modern_and_verifiable():
    hashed = hash_password("chestnut tram on khreshchatyk")
    assert hashed.startswith("scrypt:")
    assert verify_password(hashed, "chestnut tram on khreshchatyk")
    assert not verify_password(hashed, "chestnut tram on khreshchatyK")
    assert not verify_password(None, "anything at all")
