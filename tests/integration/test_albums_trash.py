"""Albums, the trash and quotas through the API, as a user works with them."""

import time
import unittest

from gallery_server import GalleryTestCase, assert_problem, read_testdata

PICTURES = [
    "exif-orientation/Landscape_1.jpg",
    "exif-orientation/Landscape_3.jpg",
    "exif-orientation/Landscape_6.jpg",
    "exif-orientation/Landscape_7.jpg",
    "exif-orientation/Landscape_8.jpg",
]


class AlbumsTest(GalleryTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = cls.start_server()
        cls.user = cls.server.user_client("albums@example.test")
        cls.photos = [cls.user.upload_one(p.rsplit("/", 1)[-1], read_testdata(p))
                      for p in PICTURES]
        cls.ids = [p["id"] for p in cls.photos]

    def album_photo_ids(self, album_id, limit=2):
        """Every photo id of the album, following cursors with small pages."""
        ids, cursor = [], None
        for _ in range(20):
            params = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            resp = self.user.get(f"/api/v1/albums/{album_id}/photos", params=params)
            self.assertEqual(resp.status_code, 200, resp.text)
            page = resp.json()
            self.assertLessEqual(len(page["photos"]), limit)
            ids += [p["id"] for p in page["photos"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return ids
        self.fail("the album listing did not end")

    def test_an_album_from_creation_to_deletion(self):
        resp = self.user.post("/api/v1/albums", json={"title": "Summer", "description": "Sea"})
        self.assertEqual(resp.status_code, 201, resp.text)
        album = resp.json()
        self.assertEqual((album["title"], album["description"], album["photo_count"]),
                         ("Summer", "Sea", 0))
        self.assertIsNone(album["cover"])
        aid = album["id"]

        resp = self.user.post(f"/api/v1/albums/{aid}/photos", json={"photo_ids": self.ids[:4]})
        self.assertEqual(resp.json(), {"added": 4})
        resp = self.user.post(f"/api/v1/albums/{aid}/photos", json={"photo_ids": self.ids[:2]})
        self.assertEqual(resp.json(), {"added": 0}, "adding is idempotent")
        self.assertEqual(self.album_photo_ids(aid), self.ids[:4])

        resp = self.user.patch(f"/api/v1/albums/{aid}",
                               json={"title": "Summer 2024", "description": "",
                                     "cover_photo_id": self.ids[2]})
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.json()["title"], "Summer 2024")
        self.assertEqual(resp.json()["cover"]["thumb"], f"/api/v1/photos/{self.ids[2]}/thumb")
        resp = self.user.patch(f"/api/v1/albums/{aid}", json={"cover_photo_id": self.ids[4]})
        assert_problem(self, resp, 400, "/errors/invalid-request")  # not in the album

        resp = self.user.post(f"/api/v1/albums/{aid}/photos/move",
                              json={"photo_id": self.ids[3], "after_photo_id": None})
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertEqual(self.album_photo_ids(aid),
                         [self.ids[3], self.ids[0], self.ids[1], self.ids[2]])
        order = [self.ids[2], self.ids[1], self.ids[0], self.ids[3]]
        resp = self.user.put(f"/api/v1/albums/{aid}/order", json={"photo_ids": order})
        self.assertEqual(resp.status_code, 204, resp.text)
        self.assertEqual(self.album_photo_ids(aid, limit=3), order)
        resp = self.user.put(f"/api/v1/albums/{aid}/order", json={"photo_ids": order[:2]})
        assert_problem(self, resp, 400, "/errors/invalid-request")

        resp = self.user.post(f"/api/v1/albums/{aid}/photos/remove",
                              json={"photo_ids": [self.ids[2], "not-in-it"]})
        self.assertEqual(resp.json(), {"removed": 1})
        got = self.user.get(f"/api/v1/albums/{aid}").json()
        self.assertEqual(got["photo_count"], 3)
        self.assertIsNone(got["cover_photo_id"], "the cover left with its photo")

        self.assertEqual(self.user.delete(f"/api/v1/albums/{aid}").status_code, 204)
        self.assertEqual(self.user.get(f"/api/v1/albums/{aid}").status_code, 404)
        for pid in self.ids:
            self.assertEqual(self.user.get(f"/api/v1/photos/{pid}").status_code, 200,
                             "deleting an album keeps its photos")

    def test_albums_are_listed_newest_first_with_cursors(self):
        made = []
        for i in range(5):
            resp = self.user.post("/api/v1/albums", json={"title": f"Page {i}"})
            made.append(resp.json()["id"])
        seen, cursor = [], None
        for _ in range(20):
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = self.user.get("/api/v1/albums", params=params).json()
            seen += [a["id"] for a in page["albums"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual([x for x in seen if x in made], list(reversed(made)))
        resp = self.user.get("/api/v1/albums", params={"cursor": "not-a-cursor"})
        assert_problem(self, resp, 400, "/errors/invalid-request")

    def test_bad_album_input_gets_clear_errors(self):
        cases = [
            ({}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 501}, "title"),
            ({"title": 5}, "title"),
        ]
        for body, word in cases:
            resp = self.user.post("/api/v1/albums", json=body)
            with self.subTest(body=str(body)[:40]):
                assert_problem(self, resp, 400, "/errors/invalid-request")
                self.assertIn(word, resp.json()["detail"])
        resp = self.user.post("/api/v1/albums", data="title=x",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert_problem(self, resp, 400, "/errors/invalid-request")
        album = self.user.post("/api/v1/albums", json={"title": "Ids"}).json()
        resp = self.user.post(f"/api/v1/albums/{album['id']}/photos",
                              json={"photo_ids": [self.ids[0], "missing"]})
        assert_problem(self, resp, 404, "/errors/not-found")
        self.assertEqual(self.user.get(f"/api/v1/albums/{album['id']}").json()["photo_count"], 0,
                         "nothing was added")


class TrashTest(GalleryTestCase):
    def test_delete_restore_and_purge_with_blobs(self):
        server = self.start_test_server()
        user = server.user_client("trash@example.test")
        data = read_testdata(PICTURES[0])
        photo = user.upload_one("a.jpg", data)
        pid = photo["id"]
        blobs_before = server.blob_files()
        self.assertTrue(any(pid in str(p) for p in blobs_before))

        self.assertEqual(user.delete(f"/api/v1/photos/{pid}").status_code, 204)
        self.assertNotIn(pid, [p["id"] for p in user.get("/api/v1/photos").json()["photos"]])
        trash = user.get("/api/v1/trash").json()["photos"]
        self.assertEqual([p["id"] for p in trash], [pid])
        self.assertIsNotNone(trash[0]["deleted_at"])
        self.assertIsNotNone(trash[0]["purge_at"])
        self.assertEqual(server.blob_files(), blobs_before, "the trash keeps the blobs")
        self.assertEqual(user.get(f"/api/v1/photos/{pid}/thumb").status_code, 200,
                         "the trash view shows thumbnails")

        restored = user.post(f"/api/v1/photos/{pid}/restore")
        self.assertEqual(restored.status_code, 200, restored.text)
        self.assertIsNone(restored.json()["deleted_at"])
        self.assertIn(pid, [p["id"] for p in user.get("/api/v1/photos").json()["photos"]])

        self.assertEqual(user.delete(f"/api/v1/photos/{pid}").status_code, 204)
        self.assertEqual(user.delete("/api/v1/trash").status_code, 204)
        self.assertEqual(user.get("/api/v1/trash").json()["photos"], [])
        self.assertEqual(user.get(f"/api/v1/photos/{pid}").status_code, 404)
        self.assertFalse(any(pid in str(p) for p in server.blob_files()), "blobs purged")

    def test_the_trash_empties_itself_after_the_retention_time(self):
        server = self.start_test_server(env={"GALLERY_TRASH_RETENTION": "1s",
                                             "GALLERY_SWEEP_INTERVAL": "1s"})
        user = server.user_client("retention@example.test")
        keep = user.upload_one("keep.jpg", read_testdata(PICTURES[1]))
        gone = user.upload_one("gone.jpg", read_testdata(PICTURES[2]))
        self.assertEqual(user.delete(f"/api/v1/photos/{gone['id']}").status_code, 204)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if user.get(f"/api/v1/photos/{gone['id']}").status_code == 404:
                break
            time.sleep(0.2)
        self.assertEqual(user.get(f"/api/v1/photos/{gone['id']}").status_code, 404)
        self.assertFalse(any(gone["id"] in str(p) for p in server.blob_files()))
        self.assertEqual(user.get(f"/api/v1/photos/{keep['id']}").status_code, 200)

    def test_uploading_trashed_bytes_again_restores_the_photo(self):
        server = self.start_test_server()
        user = server.user_client("again@example.test")
        data = read_testdata(PICTURES[3])
        photo = user.upload_one("p.jpg", data)
        self.assertEqual(user.delete(f"/api/v1/photos/{photo['id']}").status_code, 204)
        resp = user.upload([("p.jpg", data)])
        self.assertEqual(resp.status_code, 200, resp.text)
        again = resp.json()["photos"][0]
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["id"], photo["id"])
        self.assertIsNone(again["deleted_at"])
        self.assertEqual(user.get("/api/v1/trash").json()["photos"], [])


class QuotaTest(GalleryTestCase):
    def test_an_upload_over_quota_is_refused_whole_and_clearly(self):
        server = self.start_test_server()
        first = read_testdata(PICTURES[0])
        second = read_testdata(PICTURES[1])
        user = server.user_client("quota@example.test", quota_bytes=len(first) + 100)
        user.upload_one("first.jpg", first)
        resp = user.upload([("second.jpg", second)])
        assert_problem(self, resp, 413, "/errors/quota-exceeded")
        self.assertIn("quota", resp.json()["detail"])
        self.assertEqual(len(user.get("/api/v1/photos").json()["photos"]), 1)
        me = user.get("/api/v1/auth/me").json()["user"]
        self.assertEqual(me["used_bytes"], len(first))
        self.assertEqual(me["quota_bytes"], len(first) + 100)
        # A batch that does not fit is refused before anything is stored.
        other = server.user_client("batch@example.test", quota_bytes=len(first) + 100)
        resp = other.upload([("a.jpg", first), ("b.jpg", second)])
        assert_problem(self, resp, 413, "/errors/quota-exceeded")
        self.assertEqual(other.get("/api/v1/photos").json()["photos"], [])
        # Another user's quota is theirs alone; the same bytes are theirs to store.
        self.assertIn(server.admin().upload([("first.jpg", first)]).status_code, (200, 201))


if __name__ == "__main__":
    unittest.main()
