import pytest

@pytest.mark.django_db
def test_a(student):
    pass

@pytest.mark.django_db
def test_b(software):
    pass

@pytest.mark.django_db
def test_c(software):
    pass

@pytest.mark.django_db(transaction=True)
def test_d(software):
    pass
