#!/usr/bin/env python3
"""ZoneCRM API 示例：以开发区领导（或招商专员）的身份录入一个项目、记录一次对接、读取领导的
年度对接任务进度。只依赖 requests（pip install requests）。

令牌：登录系统后打开右上角“API 令牌”页面创建（只显示一次）。接口说明见系统中的 /api 页面。

用法：
    python examples/api_client.py --base-url http://127.0.0.1:5000 --token zcrm_……
    # 或者：export ZONECRM_URL=http://127.0.0.1:5000 ZONECRM_TOKEN=zcrm_……；python examples/api_client.py
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import requests


# 接口中的日期（“不得晚于今天”等）按北京时间计算；在 UTC 服务器上运行本示例时，0 点至 8 点之间
# 本机日期还是前一天，因此按北京时间取今天。
API_TIME_ZONE = ZoneInfo("Asia/Shanghai")


class ApiError(RuntimeError):
    pass


class ZoneCrm:
    def __init__(self, base_url: str, token: str, timeout: float = 30):
        self.api = base_url.rstrip("/") + "/api/v1"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
        self.timeout = timeout

    def call(self, method: str, path: str, **kwargs):
        response = self.session.request(method, self.api + path, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
            except (ValueError, KeyError):
                raise ApiError(f"HTTP {response.status_code}：{response.text[:200]}") from None
            details = "；".join(f"{field}：{reason}" for field, reason in error.get("fields", {}).items())
            raise ApiError(f"{error['message']}（{error['code']}）" + (f" {details}" if details else ""))
        return response.json()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ZoneCRM API 示例：录入项目、记录对接、读取进度")
    parser.add_argument("--base-url", default=os.environ.get("ZONECRM_URL", "http://127.0.0.1:5000"),
                        help="系统地址，默认 $ZONECRM_URL 或 http://127.0.0.1:5000")
    parser.add_argument("--token", default=os.environ.get("ZONECRM_TOKEN"), help="API 令牌，默认 $ZONECRM_TOKEN")
    parser.add_argument("--project", default=None, help="项目名称（默认自动生成）")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("请用 --token 或环境变量 ZONECRM_TOKEN 提供 API 令牌")

    crm = ZoneCrm(args.base_url, args.token)
    try:
        me = crm.call("GET", "/me")
        print(f"令牌属于：{me['name']}（{me['username']}，{me['role_label']}）")
        if me["zone"] is None:
            raise ApiError("录入项目和记录对接需要开发区领导或招商专员的令牌")

        # 1. 录入项目：金额是字符串，单位元；日期为 YYYY-MM-DD。
        name = args.project or f"新能源电池生产基地项目（API 示例 {datetime.now(API_TIME_ZONE):%Y%m%d%H%M%S}）"
        project = crm.call("POST", "/projects", json={
            "name": name,
            "investor_name": "宁德新能科技有限公司",
            "industry": "新能源",
            "is_manufacturing": True,
            "is_industrial": True,
            "total_investment_cny": "1500000000.00",   # 15 亿元
            "stage": "negotiating",
            "stage_on": datetime.now(API_TIME_ZONE).date().isoformat(),
        })
        print(f"已录入项目 #{project['id']}“{project['name']}”，总投资 {project['total_investment_cny']} 元，"
              f"阶段：{project['stage_label']}")

        # 2. 记录对接：开发区领导不填 leader_usernames 时记为本人；招商专员须写明参与的领导。
        contact = {"project_id": project["id"], "form": "外出拜访",
                   "summary": "与投资方洽谈项目落地条件和用地需求", "next_step": "报送项目用地需求"}
        leader = me["username"]
        if me["role"] != "leader":
            zone = crm.call("GET", f"/zones/{me['zone']['id']}")
            if not zone["leaders"]:
                raise ApiError("本开发区没有在职领导，无法记录对接")
            leader = zone["leaders"][0]["username"]
            contact["leader_usernames"] = [leader]
        logged = crm.call("POST", "/contacts", json=contact)
        print(f"已记录对接 #{logged['id']}（{logged['occurred_on']}，"
              f"{'、'.join(l['name'] for l in logged['leaders'])}）")

        # 3. 读取进度：与 flask progress --json 相同的对象。
        progress = crm.call("GET", "/progress")
        mine = next(l for l in progress["leaders"] if l["username"] == leader)
        pace = "符合序时进度" if mine["on_pace"] else "落后于序时进度"
        print(f"{progress['year']}年截至{progress['as_of']}，领导 {leader} 已对接 {mine['contacted_projects']} 个项目，"
              f"任务 {mine['quota']} 个，{pace}（序时进度 {progress['expected_share']:.1%}）")
    except ApiError as error:
        print(f"失败：{error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"无法连接 {args.base_url}：{error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
