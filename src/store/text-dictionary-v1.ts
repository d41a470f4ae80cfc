/**
 * Codec 1's preset dictionary (see pack-text.ts): what most stored texts share, so a short row need
 * not spell it out. Hub payload and BridgeEvent skeletons with their field names, enumerations and URL
 * prefixes, and no sample's ids or names, newest-likely strings last (deflate finds near matches
 * cheapest). Rows written with it can only be read with exactly these bytes: never edit it; a better
 * dictionary is a new codec id beside it (test/store/text-codec.test.ts pins its hash).
 */
export const TEXT_DICTIONARY_V1 = [
  `"dataset","space","draft","closed","merged","discussion.opened","discussion.updated","discussion.closed","discussion.merged","comment.edited","comment.hidden","repo.content","repo.config","refs/tags/","datasets/","spaces/"`,
  `{"content-type":"application/json","user-agent":"","x-webhook-id":"","host":"","content-length":"","accept":"*/*","accept-encoding":"gzip, deflate"}`,
  `{"event":{"action":"create","scope":"discussion.comment"},"repo":{"type":"model","name":"","id":"","private":false,"url":{"web":"https://huggingface.co/","api":"https://huggingface.co/api/models/"},"headSha":"","owner":{"id":""}},"updatedRefs":[{"ref":"refs/heads/main","oldSha":null,"newSha":""}],"updatedConfig":{"private":true},"discussion":{"id":"","title":"","url":{"web":"https://huggingface.co//discussions/","api":"https://huggingface.co/api/models//discussions/"},"status":"open","author":{"id":""},"isPullRequest":false,"changes":{"base":"refs/heads/main","mergeCommitId":""},"num":0},"comment":{"id":"","author":{"id":""},"content":"","hidden":false,"url":{"web":"https://huggingface.co//discussions/#"}},"webhook":{"id":"","version":3}}`,
  `{
  "event": {
    "action": "create",
    "scope": "discussion.comment"
  },
  "repo": {
    "type": "model",
    "name": "",
    "id": "",
    "private": false,
    "url": {
      "web": "https://huggingface.co/",
      "api": "https://huggingface.co/api/models/"
    },
    "headSha": "",
    "owner": {
      "id": ""
    }
  },
  "updatedRefs": [
    {
      "ref": "refs/heads/main",
      "oldSha": null,
      "newSha": ""
    }
  ],
  "updatedConfig": {
    "private": true
  },
  "discussion": {
    "id": "",
    "title": "",
    "url": {
      "web": "https://huggingface.co//discussions/",
      "api": "https://huggingface.co/api/models//discussions/"
    },
    "status": "open",
    "author": {
      "id": ""
    },
    "isPullRequest": false,
    "changes": {
      "base": "refs/heads/main",
      "mergeCommitId": ""
    },
    "num": 
  },
  "comment": {
    "id": "",
    "author": {
      "id": ""
    },
    "content": "",
    "hidden": false,
    "url": {
      "web": "https://huggingface.co//discussions/#"
    }
  },
  "webhook": {
    "id": "",
    "version": 3
  }
}`,
  `{"kind":"comment.created","repo":{"id":"","name":"","type":"model","private":false,"webUrl":"https://huggingface.co/"},"discussion":{"id":"","num":,"title":"","status":"open","isPullRequest":false,"authorId":"","authorName":"","authorGitHubLogin":"","baseRef":"refs/heads/main","mergeCommitId":"","webUrl":"https://huggingface.co//discussions/"},"comment":{"id":"","authorId":"","authorName":"","content":"","hidden":false,"webUrl":"https://huggingface.co//discussions/#"}}`,
].join("");
