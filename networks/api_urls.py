app_name = "networks-api"

urlpatterns: list = []
