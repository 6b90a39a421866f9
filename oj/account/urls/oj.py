from oj.routing import Route

from ..views.oj import OpenAPIAppkeyAPI, UserLoginAPI, UserLogoutAPI, UserProfileAPI

routes = [
    Route("login", UserLoginAPI, name="user_login_api"),
    Route("logout", UserLogoutAPI, name="user_logout_api"),
    Route("profile", UserProfileAPI, name="user_profile_api"),
    Route("open_api_appkey", OpenAPIAppkeyAPI, name="open_api_appkey_api"),
]
