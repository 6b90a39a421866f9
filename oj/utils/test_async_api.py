import json

from django.test import AsyncRequestFactory, SimpleTestCase

from oj.utils.api import AsyncAPIView, serializers, validate_serializer


class PayloadSerializer(serializers.Serializer):
    name = serializers.CharField()


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField()


class AsyncValidatedEchoView(AsyncAPIView):
    @validate_serializer(PayloadSerializer)
    async def post(self, request):
        return self.success({"name": request.data["name"]})


class AsyncSerializationHelperTests(SimpleTestCase):
    async def test_validate_serializer_supports_async_view_methods(self):
        request = AsyncRequestFactory().post(
            "/api/echo",
            data=json.dumps({"name": "alice"}),
            content_type="application/json",
        )
        response = await AsyncValidatedEchoView.as_view()(request)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.data["error"], None)
        self.assertEqual(response.data["data"], {"name": "alice"})

    async def test_async_serialize_data_returns_serializer_data(self):
        view = AsyncAPIView()
        data = await view.async_serialize_data(
            EchoSerializer,
            [{"name": "alice"}, {"name": "bob"}],
            many=True,
        )
        self.assertEqual(data, [{"name": "alice"}, {"name": "bob"}])
