"""Drives the page of `facenet serve` in Debian's chromium (headless) through Selenium 4: types the API key,
uploads a photo, waits for the faces list and the drawn canvas, prints the names found (one per line) and
saves a screenshot of the page.

usage: serve_browser.py URL KEY PHOTO SCREENSHOT.png
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def main():
    url, key, photo, screenshot = sys.argv[1:5]
    photo = os.path.realpath(photo)  # chromedriver refuses a path with ".." in it
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,1100"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        driver.find_element(By.ID, "key").send_keys(key)
        driver.find_element(By.ID, "file").send_keys(photo)
        wait = WebDriverWait(driver, 60)
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#faces li")))
        wait.until(lambda d: d.execute_script("return document.getElementById('canvas').width") > 0)
        driver.find_element(By.ID, "refresh").click()
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#subjects li")))
        for item in driver.find_elements(By.CSS_SELECTOR, "#faces li"):
            print("face:", item.text)
        print("status:", driver.find_element(By.ID, "status").text)
        driver.save_screenshot(screenshot)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
